"""Login, logout, language choice and the home page that sends each role to its place."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from crm.auth.forms import LoginForm
from crm.auth.services import authenticate, log_out
from crm.auth.throttle import client_address
from crm.web.boundary import unit_of_work
from crm.web.forms import EmptyForm

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = {
    "candidate": "clients.search",
    "trainer": "training.shifts",
    "evaluator": "training.shifts",
}


@bp.route("/")
def index():
    """Send each role to its starting page."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(HOME_BY_ROLE[current_user.role]))


@bp.route("/login", methods=["GET", "POST"])
@unit_of_work
def login():
    """Show the login form and log the person in."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = authenticate(form.username.data, form.password.data, client_address())
        # Failures count even when refused: the unit of work commits the refusal page too.
        if result.error == "throttled":
            minutes = math.ceil(result.retry_after / 60)
            flash(
                _(
                    "Trop de tentatives de connexion : réessayez dans %(minutes)s min.",
                    minutes=minutes,
                ),
                "error",
            )
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(result.retry_after)}
        if result.user is None:
            flash(_("Identifiant ou mot de passe incorrect."), "error")
            return render_template("auth/login.html", form=form), 401
        login_user(result.user)
        target = request.args.get("next", "")
        if not target.startswith("/") or urlsplit(target).netloc or target.startswith("//"):
            target = url_for("auth.index")
        return redirect(target)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
@unit_of_work
def logout():
    """Log out (POST with CSRF token)."""
    if EmptyForm().validate_on_submit():
        log_out(current_user._get_current_object())
        logout_user()
        flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>", methods=["POST"])
def set_language(code: str):
    """Switch the screen language (fr or en)."""
    if EmptyForm().validate_on_submit() and code in ("fr", "en"):
        session["lang"] = code
    target = request.referrer or url_for("auth.index")
    if urlsplit(target).netloc not in ("", request.host):
        target = url_for("auth.index")
    return redirect(target)
