"""Fetching sources safely and finding the cited statement in them.

Pure Python, no Django: ``client`` (the one outbound HTTP client, with ``addresses``
and ``urls`` deciding what may be reached), ``page`` (text and metadata),
``quotes`` (locating a quote), ``suggest`` (passages for a claim) and ``check``
(all of it in one call, for the ``check_source`` command).
"""
