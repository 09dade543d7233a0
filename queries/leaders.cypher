// name: leaders
// description: Who leads (or led) which organisation, in which role, since and until when, with
// description: the articles that say so (up to 20; read from Fact nodes: `role` is the first role word stated,
// description: `roles` all of them).
// param: person string = null -- only this person (name or alias, any case)
// param: organization string = null -- only this organisation (name or alias, any case)
// param: limit int = 100 -- at most this many rows (the first in the order given)
// example: kg query leaders
// example: kg query leaders -p organization "Quds Force"
MATCH (f:Fact {predicate: 'LEADS'})-[:FACT_SUBJECT]->(p:Entity), (f)-[:FACT_OBJECT]->(o:Entity)
WHERE ($person IS NULL OR toLower($person) IN p.lookup)
  AND ($organization IS NULL OR toLower($organization) IN o.lookup)
RETURN p.name AS person, o.name AS organization, head(f.roles) AS role, f.roles AS roles,
       coalesce(f.former, false) AS former, f.first_date AS since, f.until AS until, f.sources AS sources
ORDER BY organization, former, person
LIMIT $limit
