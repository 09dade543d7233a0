// name: leaders
// description: Who leads (or led) which organisation, in which role, since and until when, with
// description: the articles that say so (up to 20; read from Fact nodes: `role` is the first role word stated,
// description: `roles` all of them).
// param: person string = null -- only this person (name or alias, any case)
// param: organization string = null -- only this organisation (name or alias, any case)
// param: limit int = 100 -- at most this many rows (the first in the order given)
// example: kg query leaders
// example: kg query leaders -p organization "Quds Force"
MATCH (f:Fact {predicate: 'LEADS'})-[:SUBJECT]->(p:Entity), (f)-[:OBJECT]->(o:Entity)
WHERE ($person IS NULL OR toLower(p.name) = toLower($person)
       OR toLower($person) IN [x IN coalesce(p.aliases, []) + coalesce(p.known_aliases, []) | toLower(x)])
  AND ($organization IS NULL OR toLower(o.name) = toLower($organization)
       OR toLower($organization) IN [x IN coalesce(o.aliases, []) + coalesce(o.known_aliases, []) | toLower(x)])
RETURN p.name AS person, o.name AS organization, head(f.roles) AS role, f.roles AS roles,
       coalesce(f.former, false) AS former, f.first_date AS since, f.until AS until, f.sources AS sources
ORDER BY organization, former, person
LIMIT $limit
