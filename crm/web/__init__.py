"""The web layer shared by every feature: the pages' unit of work and context, form helpers,
responses, and the JSON API kit. Domains' services never import it; views do.

A page view that changes something reads::

    @bp.route("/clients/<int:client_id>/edit", methods=["GET", "POST"])
    @role_required("candidate")
    @unit_of_work                                   # boundary: commit, or roll back
    def edit(client_id):
        ctx = candidate_ctx()                       # context: 404 without a running attempt
        client = in_attempt(Client, client_id, ctx)  # context: 404 for another attempt's row
        form = ClientEditForm()
        if form.validate_on_submit():
            with refused(form):                     # boundary: refusal → errors beside fields
                update_client(ctx, client, form.values())
                flash(_("Fiche modifiée."), "success")
                return redirect(url_for("clients.show", client_id=client.id))
        return render_template("clients/form.html", form=form), 422
"""
