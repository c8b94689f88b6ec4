"""The scenario library's pages: every pack, a preview, an export, and a trainer's own packs."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.auth.access import role_required
from crm.boundary.limits import allow_upload
from crm.evaluation.standards import list_standards
from crm.training.forms import PackUploadForm
from crm.training.library import list_scenarios
from crm.training.packs import export_pack, install_pack, pack_preview, remove_pack
from crm.training.timeline import event_kind_labels
from crm.web.boundary import refused, unit_of_work
from crm.web.forms import EmptyForm

bp = Blueprint("packs", __name__, url_prefix="/scenarios")


def _page(form: PackUploadForm | None = None, *, problems=(), status: int = 200):
    return render_template(
        "training/packs.html",
        packs=list_scenarios(),
        form=form or PackUploadForm(),
        problems=problems,
        button=EmptyForm(),
    ), status


@bp.get("/")
@role_required("trainer", "evaluator")
def library():
    """Every pack of the library, valid or not, with what is wrong with the invalid ones."""
    return _page()


@bp.post("/upload")
@role_required("trainer")
@unit_of_work
def upload():
    """Add a pack from a file; every problem is listed when it does not validate."""
    form = PackUploadForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    upload_file = form.file.data
    with refused(form, rest=form.file) as refusal:
        installed = install_pack(
            upload_file.filename or "",
            upload_file.read(),
            replace=form.replace.data,
            user=current_user,
        )
    if refusal:
        # A pack that does not validate lists every problem (PackRefused's details).
        problems = refusal.error.details.get("problems", ())
        return _page(form, problems=problems, status=refusal.status)
    if installed.replaced:
        flash(_("Pack « %(title)s » remplacé.", title=installed.info.title), "success")
    else:
        flash(
            _("Pack « %(title)s » ajouté à la bibliothèque.", title=installed.info.title), "success"
        )
    return redirect(url_for("packs.preview", slug=installed.info.slug))


allow_upload("packs.upload", "PACK_MAX_BYTES")


@bp.get("/<slug>/")
@role_required("trainer", "evaluator")
def preview(slug: str):
    """A pack's card, its world in figures and its timeline."""
    with refused() as refusal:  # no such pack: NotFound, the 404 page (crm.pages)
        view = pack_preview(slug)
    if refusal:
        return redirect(url_for("packs.library"))
    titles = {standard.id: standard.short_title or standard.title for standard in list_standards()}
    return render_template(
        "training/pack.html",
        preview=view,
        standard_titles=titles,
        button=EmptyForm(),
        kinds=event_kind_labels(),
    )


@bp.get("/<slug>.yaml")
@role_required("trainer", "evaluator")
def export(slug: str):
    """The pack's file, to keep, edit and load elsewhere."""
    name, content = export_pack(slug)  # no such pack: NotFound, the 404 page (crm.pages)
    return Response(
        content,
        mimetype="application/x-yaml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post("/<slug>/remove")
@role_required("trainer")
@unit_of_work(back=lambda slug: url_for("packs.library"))
def remove(slug: str):
    """Take an uploaded pack out of the library."""
    if EmptyForm().validate_on_submit():
        remove_pack(slug, user=current_user)
        flash(_("Pack « %(slug)s » retiré de la bibliothèque.", slug=slug), "success")
    return redirect(url_for("packs.library"))
