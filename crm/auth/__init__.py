"""People and access: users, roles, login, API tokens."""


def init_app(app) -> None:
    """Register the JSON endpoints, the login pages and the Flask-Login user loader."""
    from flask_babel import lazy_gettext as _l

    from crm.auth.api import bp as api_bp
    from crm.auth.services import user_for_session
    from crm.auth.views import bp
    from crm.extensions import login_manager

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"

    # The session names the user and their session generation: a cookie from before a
    # logout, a password change or a lock loads nobody.
    login_manager.user_loader(user_for_session)

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
