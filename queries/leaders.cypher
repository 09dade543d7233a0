// name: leaders
// description: Who leads (or led) which organisation, in which role, since and until when, with
// description: the articles that say so.
// param: person string = null -- only this person (name or alias, any case)
// param: organization string = null -- only this organisation (name or alias, any case)
// example: kg query leaders
// example: kg query leaders -p organization "Quds Force"
MATCH (a:Article)-[:STATES]->(c:Claim {predicate: 'LEADS'})-[:SUBJECT]->(p:Entity), (c)-[:OBJECT]->(o:Entity)
WHERE ($person IS NULL OR toLower(p.name) = toLower($person)
       OR toLower($person) IN [x IN coalesce(p.aliases, []) + coalesce(p.known_aliases, []) | toLower(x)])
  AND ($organization IS NULL OR toLower(o.name) = toLower($organization)
       OR toLower($organization) IN [x IN coalesce(o.aliases, []) + coalesce(o.known_aliases, []) | toLower(x)])
WITH p, o, c, a ORDER BY a.id
WITH p, o, c.role AS role, coalesce(c.former, false) AS former, collect(DISTINCT a.id) AS sources,
     [d IN collect(c.date) WHERE d IS NOT NULL] AS dates, [u IN collect(c.until) WHERE u IS NOT NULL] AS untils
RETURN p.name AS person, o.name AS organization, role, former,
       reduce(first = null, d IN dates | CASE WHEN first IS NULL OR d < first THEN d ELSE first END) AS since,
       reduce(last = null, u IN untils | CASE WHEN last IS NULL OR u > last THEN u ELSE last END) AS until,
       sources
ORDER BY organization, former, person, role
