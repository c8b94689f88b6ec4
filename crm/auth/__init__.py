"""People and access: users, roles, login, API tokens."""


def init_app(app) -> None:
    """Register the login pages and the Flask-Login user loader."""
    from flask_babel import lazy_gettext as _l

    from crm.auth.models import User
    from crm.auth.views import bp
    from crm.extensions import db, login_manager

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(User, int(user_id)) if user_id.isdigit() else None

    app.register_blueprint(bp)
