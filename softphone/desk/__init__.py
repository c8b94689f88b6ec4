"""The candidate's desk: one page gathering the softphone, the inbox and the CRM workspace."""


def init_app(app) -> None:
    """Register the desk's page blueprint and the exam-mode template context (every page)."""
    from softphone.desk.exam import inject_exam_mode
    from softphone.desk.views import bp

    app.register_blueprint(bp)
    app.context_processor(inject_exam_mode)
