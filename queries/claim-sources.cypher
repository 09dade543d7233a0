// name: claim-sources
// description: Every article, outlet and sentence that states a claim about a subject (and
// description: optionally a predicate and an object): the evidence behind one fact. A country's
// description: rows include what its government bodies did (the State Department's designations
// description: count for the United States); a body's rows are its own.
// param: subject entity -- the subject's name or any alias, any case
// param: predicate string = null -- only this predicate, e.g. DESIGNATED_AS_TERRORIST (any case)
// param: object entity = null -- only this object (name or alias, any case)
// param: limit int = 100 in 1.. -- at most this many rows (the first in the order given)
// example: kg query claim-sources -p subject US -p predicate designated_as_terrorist -p object IRGC
// columns: subject string, predicate string, object string, article string, outlet string, date date, evidence string
MATCH (:Name {key: toLower($subject)})-[:NAMES]->(s:Entity)
OPTIONAL MATCH (s)-[:AGENCY_OF]->(state:Entity)
// a body's designations, denials and revocations are counted in its state's facts
WITH s, [s] + collect(state) AS actors
UNWIND actors AS actor
MATCH (actor)<-[:FACT_SUBJECT]-(f:Fact)-[:FACT_OBJECT]->(o:Entity)
WHERE (actor = s OR f.predicate IN ['DESIGNATED_AS_TERRORIST', 'REVOKED_DESIGNATION', 'DENIED_DESIGNATION'])
  AND ($predicate IS NULL OR f.predicate = toUpper($predicate))
  AND ($object IS NULL OR toLower($object) IN o.lookup)
WITH s, size(actors) > 1 AS body, f, o
ORDER BY f.predicate, o.name, f.key
// the facts in row order, as many as can fill `limit` rows: every article stating a fact states it
// at least once (a body's rows are a part of its state's facts, so all of them are read)
WITH s, body, collect([f, o]) AS facts
WITH s, body, reduce(acc = [0, []], x IN facts |
       CASE WHEN NOT body AND acc[0] >= $limit THEN acc ELSE [acc[0] + x[0].articles, acc[1] + [x]] END)[1] AS needed
UNWIND needed AS x
WITH s, body, x[0] AS f, x[1] AS o
MATCH (f)<-[:OF]-(c:Claim), (f)-[:FACT_SUBJECT]->(fs:Entity)
// a claim's subject is its fact's unless it names a body acting for that state
OPTIONAL MATCH (c)-[:SUBJECT]->(own:Entity)
WITH s, body, f, o, c, coalesce(own, fs) AS cs
WHERE NOT body OR cs = s
MATCH (a:Article)-[:STATES]->(c)
// order and cut on the sort keys alone, then read the rest for the rows kept
WITH cs, f, o, c, a, f.predicate AS predicate, o.name AS object, coalesce(c.date, a.date) AS date, a.id AS article
// an article's claims of one fact in reading order, then by subject (two bodies of one state in one
// sentence) and the keys of two entities of one name, so the order is total
ORDER BY predicate, object, date, article, c.start, cs.name, cs.key, o.key
LIMIT $limit
RETURN cs.name AS subject, predicate, object, article, a.outlet AS outlet, date, c.evidence AS evidence
