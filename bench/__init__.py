"""MotCua benchmark harness (``make bench`` = ``python -m bench``).

Seeds a dedicated PostgreSQL database, starts ``motcua serve`` against it, puts each scenario
under the same concurrent load and reports throughput and latency relative to ``/healthz``
measured in the same run. See bench/README.md.
"""
