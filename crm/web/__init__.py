"""The web layer shared by every feature: the pages' unit of work and context, form helpers,
responses, and the JSON API kit. Domains' services never import it; views do."""
