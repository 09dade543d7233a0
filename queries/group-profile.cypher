// name: group-profile
// description: Everything the graph holds about one group: canonical name, aliases, parent and
// description: sub-units (PART_OF), leaders current and former with their role (LEADS), backers
// description: (SUPPORTS), who designates it, who called for its designation, and the sources.
// description: The `graph` column holds the group, its facts and the entities they link, so the
// description: Neo4j Browser draws them (kg's table and CSV leave it out; JSON keeps it).
// param: group string -- the group's name or any alias, any case
// example: kg query group-profile -p group IRGC
MATCH (g:Entity)
WHERE toLower($group) IN g.lookup
// read from Fact nodes: one per (predicate, subject, object), however many articles state it
OPTIONAL MATCH (g)<-[:FACT_SUBJECT]-(fo:Fact)-[:FACT_OBJECT]->(xo:Entity)
WITH g, collect({f: fo, x: xo, out: true}) AS outgoing
OPTIONAL MATCH (g)<-[:FACT_OBJECT]-(fi:Fact)-[:FACT_SUBJECT]->(xi:Entity)
WITH g, outgoing, collect({f: fi, x: xi, out: false}) AS incoming
WITH g, [l IN outgoing + incoming WHERE l.f IS NOT NULL AND l.x <> g] AS links
RETURN g.name AS group, g.type AS type,
       reduce(seen = [], a IN coalesce(g.known_aliases, []) + coalesce(g.aliases, []) |
              CASE WHEN a = g.name OR a IN seen THEN seen ELSE seen + a END) AS aliases,
       [l IN links WHERE l.f.predicate = 'PART_OF' AND l.out | l.x.name] AS parents,
       [l IN links WHERE l.f.predicate = 'PART_OF' AND NOT l.out | l.x.name] AS units,
       [l IN links WHERE l.f.predicate = 'LEADS' AND NOT l.out |
        l.x.name + CASE WHEN l.f.former THEN ' (former ' ELSE ' (' END
        + coalesce(head(l.f.roles), 'leader') + ')'] AS leaders,
       [l IN links WHERE l.f.predicate = 'SUPPORTS' AND NOT l.out | l.x.name] AS backers,
       [l IN links WHERE l.f.predicate = 'DESIGNATED_AS_TERRORIST' AND NOT l.out | l.x.name] AS designated_by,
       [l IN links WHERE l.f.predicate = 'CALLED_FOR_DESIGNATION' AND NOT l.out |
        l.x.name + ' urged ' + CASE WHEN size(coalesce(l.f.addressees, [])) = 0 THEN 'an unnamed authority'
                                    ELSE reduce(s = '', k IN l.f.addressees | s + CASE WHEN s = '' THEN '' ELSE ', ' END + k) END]
         AS calls,
       reduce(ids = [], l IN links | ids + [i IN coalesce(l.f.sources, []) WHERE NOT i IN ids]) AS sources,
       [g] + [l IN links | l.f] + [l IN links | l.x] AS graph
ORDER BY group
