"""Every change to project data happens here, once, in a transaction, checking role and state.

Views, the API, admin actions, Celery tasks and management commands call these functions.
"""
