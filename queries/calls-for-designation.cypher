// name: calls-for-designation
// description: Who urged which authority (the addressee) to designate which group, with the source
// description: sentence. Calls only: a designation, denial or revocation never appears here.
// param: group string = null -- only calls about this group (name or alias, any case)
// param: addressee string = null -- only calls addressed to this authority (name or alias, any case)
// param: limit int = 100 -- at most this many rows (the first in the order given)
// example: kg query calls-for-designation
// example: kg query calls-for-designation -p addressee "UK"
MATCH (a:Article)-[:STATES]->(c:Claim {predicate: 'CALLED_FOR_DESIGNATION'})-[:SUBJECT]->(caller:Entity),
      (c)-[:OBJECT]->(g:Entity)
OPTIONAL MATCH (c)-[:ADDRESSEE]->(to:Entity)
WITH a, c, caller, g, to
WHERE ($group IS NULL OR toLower(g.name) = toLower($group)
       OR toLower($group) IN [x IN coalesce(g.aliases, []) + coalesce(g.known_aliases, []) | toLower(x)])
  AND ($addressee IS NULL OR toLower(to.name) = toLower($addressee)
       OR toLower($addressee) IN [x IN coalesce(to.aliases, []) + coalesce(to.known_aliases, []) | toLower(x)])
RETURN caller.name AS caller, to.name AS addressee, g.name AS group, coalesce(c.date, a.date) AS date,
       a.id AS article, a.outlet AS outlet, c.evidence AS evidence
ORDER BY group, addressee, caller, article
LIMIT $limit
