"""The unit of work of page views, written once (as Indico's `RH.process()` does it).

A page view decorated with `@unit_of_work` is one transaction:

- it returns: the transaction commits (socket pushes follow the commit,
  `softphone.realtime.pushes`), whatever the page's status: a refusal that is evidence (a
  stock-out met, a credit refused) is kept, as the API keeps it;
- it raises: the transaction rolls back. A `DomainError` raised by a POST is then flashed in
  French (a `ValidationFailed`'s messages one by one) and the browser is sent back (302, as
  views redirect) to `back(**view_args)` when given, else to the page's own GET address
  (`crm.prg.get_address`), else home. A `NotFound`, HTTP errors (403, 404…) and a GET's
  errors go on to their error pages.

Inside a view, `refused(form)` is the block around the service call whose refusal shows the
form again: on a `DomainError` it rolls back, puts a `ValidationFailed`'s messages beside the
form's fields (others flashed), flashes any other refusal, and lets the view carry on after the
block to render the form with `refusal.status` (422, 409…). A view never writes
`db.session.commit()` or `rollback()` itself; `checkpoint()` is the one way for a view of two
steps to keep the first when the second is refused (a draft saved, then handed in).

Post/Redirect/Get is untouched: a page answered to a POST (form again, 409) is still kept and
redirected to by `crm.prg`; the redirects here are already GETs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

from flask import flash, redirect, request, url_for
from flask_wtf import FlaskForm

from crm.db import db
from crm.errors import DomainError, NotFound, ValidationFailed
from crm.i18n import _
from crm.prg import get_address
from crm.web.forms import attach_errors


def flash_refusal(error: DomainError, labels: dict | None = None) -> None:
    """Flash a refusal in French: each message of a ValidationFailed (after its field's label
    when `labels` has it), else the refusal's message."""
    if isinstance(error, ValidationFailed) and error.fields:
        for name, message in error.fields.items():
            label = (labels or {}).get(name)
            # A field's code name is English: only a form's French label is put in front.
            text = _("%(field)s : %(message)s", field=label, message=message) if label else message
            flash(text, "error")
    else:
        flash(error.message, "error")


def _flashable(error: BaseException) -> bool:
    """Whether a page says this error in a flash: a refusal, but not a row of no attempt of the
    caller's (NotFound), which is the 404 page wherever it was asked for."""
    return isinstance(error, DomainError) and not isinstance(error, NotFound)


def _back_address(back: Callable[..., str] | None) -> str:
    """Where a refused request sends the browser: `back`, the page's GET address, or home."""
    if back is not None:
        return back(**(request.view_args or {}))
    return get_address() or url_for("auth.index")


def unit_of_work(view=None, *, back: Callable[..., str] | None = None):
    """Make a page view one transaction: commit when it returns, roll back when it raises.

    `back` receives the view's arguments and says where a refused request goes (a URL).
    Usable bare (`@unit_of_work`) or with arguments (`@unit_of_work(back=...)`).
    """

    def decorator(function):
        @wraps(function)
        def wrapped(*args, **kwargs):
            try:
                response = function(*args, **kwargs)
            except BaseException as error:
                db.session.rollback()
                # A GET refused has no form to go back to (and its own address would loop).
                if not _flashable(error) or request.method != "POST":
                    raise
                flash_refusal(error)
                return redirect(_back_address(back))
            db.session.commit()
            return response

        return wrapped

    return decorator(view) if view is not None else decorator


def checkpoint() -> None:
    """Commit what the view did so far, so that a refusal of what follows keeps it."""
    db.session.commit()


@dataclass
class Refusal:
    """What a `refused` block caught: the error once rolled back, or None if it went through."""

    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is not None

    @property
    def fields(self) -> dict[str, str]:
        """The refused fields and their messages ({} unless a ValidationFailed was caught)."""
        return dict(getattr(self.error, "fields", None) or {})

    @property
    def status(self) -> int:
        """The page's status: the refusal's (422, 409…), 200 when nothing was refused."""
        return self.error.status if self.error is not None else 200


def show_refusal(
    error: DomainError,
    form: FlaskForm | None = None,
    *,
    fields: dict | None = None,
    rest=None,
    flash_leftovers: bool = False,
    flash_all: bool = False,
) -> None:
    """Show a refusal on the page: a ValidationFailed beside `form`'s fields, the rest flashed.

    `fields` maps a service's field names to form fields when they differ. A message with no
    field goes beside the `rest` field, else on the form (`form.form_errors`), or is flashed
    with `flash_leftovers` (for templates that show no form-level errors). `flash_all` flashes
    every message, each after its field's label: for a view that redirects instead of showing
    the form again.
    """
    if flash_all or not isinstance(error, ValidationFailed) or form is None:
        flash_refusal(error, _labels(form))
        return
    attach_errors(form, error, fields, rest)
    if flash_leftovers:
        for message in form.form_errors:
            flash(message, "error")
        form.form_errors = []


@contextmanager
def refused(
    form: FlaskForm | None = None,
    *,
    fields: dict | None = None,
    rest=None,
    flash_leftovers: bool = False,
    flash_all: bool = False,
    quiet: bool = False,
) -> Iterator[Refusal]:
    """Run the block; a DomainError in it is rolled back and shown, and the view carries on
    (a NotFound is rolled back and goes on to the 404 page).

    What is shown is `show_refusal`'s (same arguments); `quiet` shows nothing, for a view that
    puts `refusal.fields` on its page itself.
    """
    refusal = Refusal()
    try:
        yield refusal
    except DomainError as error:
        db.session.rollback()
        if not _flashable(error):
            raise
        refusal.error = error
        if not quiet:
            show_refusal(
                error,
                form,
                fields=fields,
                rest=rest,
                flash_leftovers=flash_leftovers,
                flash_all=flash_all,
            )


def _labels(form: FlaskForm | None) -> dict[str, str] | None:
    """The form's field labels by name, to name a field in a flash."""
    if form is None:
        return None
    return {name: str(field.label.text) for name, field in form._fields.items()}
