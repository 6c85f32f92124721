"""Resolution: mentions -> canonical entities (`kg.resolve.entities`), and events that several
documents report -> one event (`kg.resolve.events`)."""
from kg.resolve.entities import (
    GENERIC_TYPES,
    Entity,
    Position,
    Resolution,
    Resolver,
    group_of,
    resolve,
)
from kg.resolve.events import (
    MAX_GAP_DAYS,
    Candidate,
    event_key,
    link_events,
    same_event,
    shared_events,
)
from kg.resolve.names import is_acronym_of

__all__ = ["GENERIC_TYPES", "MAX_GAP_DAYS", "Candidate", "Entity", "Position", "Resolution", "Resolver", "event_key",
           "group_of", "is_acronym_of", "link_events", "resolve", "same_event", "shared_events"]
