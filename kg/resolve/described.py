"""How resolution reads descriptions: the person a role phrase fits ("the Pakistani army
chief"), the organisation or place a definite description refers back to ("the group", "the
airport"), a state's forces ("Malian troops"), and the story's home country. A mixin of
`kg.resolve.entities.Resolver`, kept apart so each module stays readable; it works on the
resolver's tables (``entities``, ``positions_of``, the lexicon's word sets)."""
from __future__ import annotations

import re
from collections import Counter

from kg.model import Extraction, Mention
from kg.ontology.gazetteer import normalize
from kg.resolve.names import STOP
from kg.resolve.states import national_body

__all__ = ["Descriptions"]

_APPOSITION_GAP = re.compile(r"\s*,\s*(?:[A-Z][\w.\-]*\s+){0,3}")  # ", General "


class Descriptions:
    """Methods of the resolver that read descriptions (see the module's docstring)."""

    def _fitting_person(self, ms: list[Mention], order: list[int], m: Mention) -> str | None:
        """The latest person before ``m`` whose positions, rank and country fit its words."""
        words, target = set(m.role_words), None
        for j in order:
            if ms[j].start >= m.start:
                break
            key = ms[j].entity
            if key and key.startswith("person/") and self._person_fits(key, words, m.country):
                target = key
        return target

    @staticmethod
    def _apposed(x: Extraction, order: list[int], pos: int) -> str | None:
        """The person the description at ``order[pos]`` stands in apposition to: "the army
        chief, General X" or "General X, the army chief"."""
        ms, text, i = x.mentions, x.doc.text, order[pos]
        for j in (order[pos + 1] if pos + 1 < len(order) else None, order[pos - 1] if pos else None):
            if j is None or not (ms[j].entity or "").startswith("person/"):
                continue
            gap = text[ms[i].end : ms[j].start] if ms[j].start >= ms[i].end else text[ms[j].end : ms[i].start]
            # a rank may stand between: "the army chief, General Qamar Javed Bajwa"
            if _APPOSITION_GAP.fullmatch(gap):
                return ms[j].entity
        return None

    def home_country(self, x: Extraction) -> str | None:
        """The country of the dateline ("PESHAWAR -" -> Pakistan): the story's own country."""
        if x.dateline is None or not x.mentions[x.dateline].entity:
            return None
        key = x.mentions[x.dateline].entity
        ent = self.entities.get(key)
        if ent is not None and ent.type == "Country":
            return key
        return ent.country if ent is not None else None

    def _described(self, ms: list[Mention], order: list[int], m: Mention, home: str | None = None) -> str | None:
        """The entity a description of an organisation or place refers back to: the latest
        earlier one with the description's noun in a name ("the Guards", "the airport"), else
        the latest of the first type the noun allows ("the group" -> an armed group)."""
        noun = m.role_words[-1] if m.role_words else ""
        types = self.type_nouns.get(noun, ())
        named, typed = None, None
        seen: Counter[str] = Counter()
        heads_of: dict[str, set[str]] = {}
        for j in order:
            if ms[j].start >= m.start:
                break
            key = ms[j].entity
            if not key or key.startswith("person/") or ms[j].kind in ("role", "demonym"):
                continue
            seen[key] += 1
            ent = self.entities[key]
            if m.country and key != f"place/{m.country}" and ent.country not in (None, f"place/{m.country}"):
                continue
            # the noun heads one of its names: "the Guards" -> "Revolutionary Guards", "the
            # airport" -> "... International Airport", but "the army" is not "Army Public School"
            if key not in heads_of:
                names = (normalize(n) for n in (ent.label, *ent.aliases))
                heads_of[key] = {n.split()[-1].rstrip("s") for n in names if n}
            if noun.rstrip("s") in heads_of[key]:
                if noun in self.national_bodies and (ent.type != self.national_bodies[noun] or not m.country
                                                     or ent.country != f"place/{m.country}"):
                    continue  # "Sudanese forces" are not the Rapid Support Forces
                named = key
            elif ent.type in types:
                # a country or province described again is the story's main one, not the last named
                weight = seen[key] if ent.type in self.salient_types else 0
                rank = (types.index(ent.type), -weight)
                if typed is None or rank <= typed[0]:
                    typed = (rank, key)
        if named is None and home is not None and "Country" in types and m.country in (None, home.split("/")[-1]):
            return home  # "the country" in a report filed from Peshawar is Pakistan
        if named is None and m.country and noun in self.national_bodies:
            return self._national_body(m.country, self.national_bodies[noun])
        return named or (typed[1] if typed else None)

    def _national_body(self, country: str, typ: str) -> str | None:
        """A country's armed forces or police, one node per country and type (kg.resolve.states)."""
        found = national_body(self.gaz, country, typ)
        if found is None:
            return None
        key, label, gaz_id = found
        ent = self._entity(key, label, gaz_id)
        if not ent.type_votes:
            ent.type_votes[typ] += 1000
            ent.country_votes[f"place/{country}"] += 1000
        return key

    def _person_fits(self, key: str, words: set[str], country: str | None) -> bool:
        ent = self.entities[key]
        if country and ent.country and ent.country != f"place/{country}":
            return False
        role_words = set()
        for p in self.positions_of.get(key, ()):
            role_words |= set(normalize(p.title).replace("-", " ").split())
            if p.org:
                role_words |= set(normalize(self.entities[p.org].label if p.org in self.entities else "").split())
        for r in ent.ranks:
            role_words |= set(normalize(r).split())
        # the description's nouns without its demonym ("the Pakistani army chief" -> army, chief)
        nouns = {w for w in words if self.gaz.country_of_demonym(w) is None} - STOP
        if not role_words:
            return False
        if nouns & self.any_role:
            return True
        # every noun must fit: "the army chief" is not the chief of staff of the armed forces
        return bool(nouns) and all(n in role_words or self.synonyms.get(n, set()) & role_words for n in nouns)

    # -- whole corpus -------------------------------------------------------------------
