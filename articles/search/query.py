"""What readers type: web search syntax (words, "quoted phrases", -excluded words, `or`),
checked for queries that cannot find anything, and turned into what each engine takes."""

import re

from articles.sanitize import strip_control_characters

MAX_QUERY_LENGTH = 200
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


class QueryProblem(ValueError):
    """A query we cannot search for, with advice for the reader."""


def check_query(query):
    query = " ".join(strip_control_characters(query or "").split())
    if not query:
        raise QueryProblem("Type one or more words to search for.")
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryProblem(
            f"That search is too long ({len(query)} characters). "
            f"Use at most {MAX_QUERY_LENGTH} characters: a few distinctive words work best."
        )
    if not _WORD.search(query):
        raise QueryProblem("Search for words or numbers; punctuation alone matches nothing.")
    if not _WORD.search(without_exclusions(query)):
        raise QueryProblem("Add at least one word to look for, not only words to leave out.")
    return query


def without_exclusions(query):
    """The query less its -excluded terms: ts_rank scores a negated query poorly."""
    tokens = (token.group(0) for token in _TOKEN.finditer(query))
    return " ".join(token for token in tokens if not token.startswith("-"))


def to_fts5(query):
    """Web search syntax to an FTS5 query; every term quoted, so no input is an FTS5 error."""
    groups, excluded, pending_or = [], [], False
    for negate, phrase, word in _TOKEN.findall(query):
        text = phrase if phrase or negate and not word else word
        if word and word.lower() == "or":
            pending_or = bool(groups)
            continue
        if word.startswith("-") and len(word) > 1:
            negate, text = "-", word[1:]
        terms = _WORD.findall(text)
        if not terms:
            continue
        term = '"' + " ".join(terms).replace('"', '""') + '"'
        if negate:
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    if not groups:
        raise QueryProblem("Add at least one word to look for.")
    expression = " AND ".join(
        f"({' OR '.join(group)})" if len(group) > 1 else group[0] for group in groups
    )
    if excluded:
        expression += " NOT (" + " OR ".join(excluded) + ")"
    return expression
