"""The written channels of the desk: email, SMS and chat conversations."""


def init_app(app) -> None:
    """Load the inbox's tables, register its verbs and its API blueprint."""
    from softphone.inbox import models  # noqa: F401  (tables on the metadata)
    from softphone.inbox.api import bp
    from softphone.inbox.verbs import register_verbs

    register_verbs()
    app.register_blueprint(bp)
