"""Whether a trigger speaks of something that did not happen: under a modal or future auxiliary,
in or over a conditional clause, or governed by a word of intention or proposal (lexicon.toml
[irrealis]). Read from the parse, walking up from the trigger through complements and
modifiers only: a relative clause or a subject leads to another clause, whose modal says nothing
of this one ("militants who attacked the post could face trial")."""
from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.context import Context

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["irrealis"]

# the dependencies by which a trigger's clause takes its governor's mood: "plans [to visit]",
# "a proposal [to resume]", "would [hold] talks", "would allow [to meet]"
_COMPLEMENTS = ("xcomp", "ccomp", "acl", "advcl", "dobj", "oprd", "pcomp")


def irrealis(ctx: Context, tok: Token) -> bool:
    """Whether trigger ``tok`` names an event that has not happened (see the module)."""
    words = ctx.lex.irrealis
    if not words:
        return False
    modals, marks, cues = words.get("modals", ()), words.get("marks", ()), words.get("cues", ())
    t, cue_ok = tok, False
    for _ in range(8):
        for c in t.children:
            if (c.dep_ == "aux" and c.lower_ in modals) or (c.dep_ == "mark" and c.lower_ in marks):
                return True
            if c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in marks for g in c.children):
                return True  # "if the deal goes through, X pledges ...": the main clause too
        if cue_ok and t.lemma_.lower() in cues:
            return True
        head = t.head
        if head is t or head.lemma_.lower() in ctx.lex.reporting:
            return False
        if t.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in words.get("intended", ()) and head.head is not head:
            # a preposition's object: only the word it hangs from may intend it
            return head.head.lemma_.lower() in cues or head.head.lemma_.lower() in words.get("prep_cues", ())
        if t.dep_ == "conj" and head.pos_ in ("VERB", "AUX") and t.tag_ == "VB":
            t, cue_ok = head, False  # "will meet and sign" share the modal (a bare verb); "planned and carried out" not the plan
        elif t.dep_ in _COMPLEMENTS and not (t.dep_ == "acl" and head.pos_ in ("VERB", "AUX")):
            t, cue_ok = head, True
        else:
            return False
    return False
