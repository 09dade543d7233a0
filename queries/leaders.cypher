// name: leaders
// description: Who leads (or led) which organisation, in which role, since and until when, with
// description: the articles that say so (up to 20; read from Fact nodes: `role` is the first role word stated,
// description: `roles` all of them).
// param: person entity = null -- only this person (name or alias, any case)
// param: organization entity = null -- only this organisation (name or alias, any case)
// param: limit int = 100 in 1.. -- at most this many rows (the first in the order given)
// example: kg query leaders
// example: kg query leaders -p organization "Quds Force"
// columns: person string, organization string, role string, roles list, former bool, since date, until string, sources list
// three parts, one for each way of asking, so each reads only what it needs: no name given, the
// LEADS facts of the first organisations by name, as many as hold `limit` facts (the writer keeps
// each one's `leader_facts`) and every other of the last one's name, sorted on the facts' own
// copies of the names (only the rows kept read their entities) …
// no name given, or this part yields no row and reads nothing (a WHERE after the MATCH would scan first)
UNWIND CASE WHEN $person IS NULL AND $organization IS NULL THEN [true] ELSE [] END AS unnamed
MATCH (led:Entity) WHERE led.leader_facts > 0
WITH led ORDER BY led.name
WITH collect(led) AS organisations
WITH reduce(acc = [0, [], null], x IN organisations |
       CASE WHEN acc[0] >= $limit AND x.name <> acc[2] THEN acc ELSE [acc[0] + x.leader_facts, acc[1] + [x], x.name] END)[1] AS first
UNWIND first AS led
MATCH (led)<-[:FACT_OBJECT]-(f:Fact {predicate: 'LEADS'})
WITH f ORDER BY f.object_name, f.former, f.subject_name LIMIT $limit
MATCH (f)-[:FACT_SUBJECT]->(p:Entity), (f)-[:FACT_OBJECT]->(o:Entity)
RETURN p.name AS person, o.name AS organization, head(f.roles) AS role, f.roles AS roles,
       f.former AS former, f.first_date AS since, f.until AS until, f.sources AS sources
ORDER BY organization, former, person
UNION ALL
// … a person named: that person's facts …
MATCH (:Name {key: toLower($person)})-[:NAMES]->(p:Entity)
WITH p
MATCH (p)<-[:FACT_SUBJECT]-(f:Fact {predicate: 'LEADS'})-[:FACT_OBJECT]->(o:Entity)
WHERE $organization IS NULL OR toLower($organization) IN o.lookup
RETURN p.name AS person, o.name AS organization, head(f.roles) AS role, f.roles AS roles,
       f.former AS former, f.first_date AS since, f.until AS until, f.sources AS sources
ORDER BY organization, former, person LIMIT $limit
UNION ALL
// … only an organisation named: its facts
MATCH (:Name {key: toLower($organization)})-[:NAMES]->(o:Entity) WHERE $person IS NULL
WITH o
MATCH (o)<-[:FACT_OBJECT]-(f:Fact {predicate: 'LEADS'})-[:FACT_SUBJECT]->(p:Entity)
RETURN p.name AS person, o.name AS organization, head(f.roles) AS role, f.roles AS roles,
       f.former AS former, f.first_date AS since, f.until AS until, f.sources AS sources
ORDER BY organization, former, person LIMIT $limit
