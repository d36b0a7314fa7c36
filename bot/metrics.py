"""Prometheus metrics, exposed on GET /metrics."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

INBOUND = Counter("jiedan_inbound_messages_total", "Customer messages received",
                  ["channel"], registry=REGISTRY)
HANDLE_SECONDS = Histogram("jiedan_handle_seconds", "Time to handle one customer message",
                           ["channel"], registry=REGISTRY,
                           buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))
ORDER_EVENTS = Counter("jiedan_order_events_total", "Order lifecycle events",
                       ["kind"], registry=REGISTRY)
HTTP_ERRORS = Counter("jiedan_http_errors_total", "HTTP requests answered with an error",
                      ["path", "status"], registry=REGISTRY)
