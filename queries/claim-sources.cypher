// name: claim-sources
// description: Every article, outlet and sentence that states a claim about a subject (and
// description: optionally a predicate and an object): the evidence behind one fact.
// param: subject string -- the subject's name or any alias, any case
// param: predicate string = null -- only this predicate, e.g. DESIGNATED_AS_TERRORIST (any case)
// param: object string = null -- only this object (name or alias, any case)
// param: limit int = 100 -- at most this many rows (the first in the order given)
// example: kg query claim-sources -p subject US -p predicate designated_as_terrorist -p object IRGC
MATCH (a:Article)-[:STATES]->(c:Claim)-[:SUBJECT]->(s:Entity), (c)-[:OBJECT]->(o:Entity)
WHERE ($predicate IS NULL OR c.predicate = toUpper($predicate))
  AND (toLower(s.name) = toLower($subject)
       OR toLower($subject) IN [x IN coalesce(s.aliases, []) + coalesce(s.known_aliases, []) | toLower(x)])
  AND ($object IS NULL OR toLower(o.name) = toLower($object)
       OR toLower($object) IN [x IN coalesce(o.aliases, []) + coalesce(o.known_aliases, []) | toLower(x)])
RETURN s.name AS subject, c.predicate AS predicate, o.name AS object, a.id AS article, a.outlet AS outlet,
       coalesce(c.date, a.date) AS date, c.evidence AS evidence
ORDER BY predicate, object, date, article
LIMIT $limit
