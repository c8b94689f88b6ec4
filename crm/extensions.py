"""Flask extensions, created unbound; `create_app` binds them."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

from crm.db import db

__all__ = ["babel", "csrf", "db", "login_manager", "migrate", "socketio"]

migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
socketio = SocketIO()
