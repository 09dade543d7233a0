// name: group-profile
// description: Everything the graph holds about one group: canonical name, aliases, parent and
// description: sub-units (PART_OF), leaders current and former with their role (LEADS), backers
// description: (SUPPORTS), who designates it, who called for its designation, and the sources.
// description: The `graph` column holds the group, its claims and the entities they link, so the
// description: Neo4j Browser draws them (kg's table and CSV leave it out; JSON keeps it).
// param: group string -- the group's name or any alias, any case
// example: kg query group-profile -p group IRGC
MATCH (g:Entity)
WHERE toLower(g.name) = toLower($group)
   OR toLower($group) IN [x IN coalesce(g.aliases, []) + coalesce(g.known_aliases, []) | toLower(x)]
OPTIONAL MATCH (g)<-[:SUBJECT]-(:Claim {predicate: 'PART_OF'})-[:OBJECT]->(parent:Entity)
WITH g, collect(DISTINCT parent.name) AS parents
OPTIONAL MATCH (g)<-[:OBJECT]-(:Claim {predicate: 'PART_OF'})-[:SUBJECT]->(unit:Entity)
WITH g, parents, collect(DISTINCT unit.name) AS units
OPTIONAL MATCH (g)<-[:OBJECT]-(lead:Claim {predicate: 'LEADS'})-[:SUBJECT]->(person:Entity)
WITH g, parents, units,
     collect(DISTINCT person.name + CASE WHEN lead.former THEN ' (former ' ELSE ' (' END
             + coalesce(lead.role, 'leader') + ')') AS leaders
OPTIONAL MATCH (g)<-[:OBJECT]-(:Claim {predicate: 'SUPPORTS'})-[:SUBJECT]->(backer:Entity)
WITH g, parents, units, leaders, collect(DISTINCT backer.name) AS backers
OPTIONAL MATCH (g)<-[:OBJECT]-(:Claim {predicate: 'DESIGNATED_AS_TERRORIST'})-[:SUBJECT]->(designator:Entity)
WITH g, parents, units, leaders, backers, collect(DISTINCT designator.name) AS designated_by
OPTIONAL MATCH (g)<-[:OBJECT]-(call:Claim {predicate: 'CALLED_FOR_DESIGNATION'})-[:SUBJECT]->(caller:Entity)
OPTIONAL MATCH (call)-[:ADDRESSEE]->(to:Entity)
WITH g, parents, units, leaders, backers, designated_by,
     collect(DISTINCT caller.name + ' urged ' + coalesce(to.name, 'an unnamed authority')) AS calls
OPTIONAL MATCH (g)<-[:SUBJECT|OBJECT]-(:Claim)<-[:STATES]-(a:Article)
WITH g, parents, units, leaders, backers, designated_by, calls, a ORDER BY a.id
WITH g, parents, units, leaders, backers, designated_by, calls, collect(DISTINCT a.id) AS sources
OPTIONAL MATCH (g)<-[:SUBJECT|OBJECT]-(c:Claim)-[:SUBJECT|OBJECT]->(x:Entity)
WHERE x <> g
WITH g, parents, units, leaders, backers, designated_by, calls, sources,
     collect(DISTINCT c) AS claim_nodes, collect(DISTINCT x) AS related
RETURN g.name AS group, g.type AS type,
       reduce(seen = [], x IN coalesce(g.known_aliases, []) + coalesce(g.aliases, []) |
              CASE WHEN x = g.name OR x IN seen THEN seen ELSE seen + x END) AS aliases,
       parents, units, leaders, backers, designated_by, calls, sources, [g] + claim_nodes + related AS graph
ORDER BY group
