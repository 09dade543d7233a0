// name: group-profile
// description: Everything the graph holds about one group: canonical name, aliases, parent and
// description: sub-units (PART_OF), leaders current and former with their role (LEADS), backers
// description: (SUPPORTS), who designates it, who called for its designation, and up to 20 sources;
// description: `lists`: the public terrorist lists it is on (reference data, not from articles).
// description: The `graph` column holds the group and up to 100 of its facts with the entities they
// description: link, so the Neo4j Browser draws them (kg's table and CSV leave it out; JSON keeps it).
// param: group entity -- the group's name or any alias, any case
// example: kg query group-profile -p group IRGC
// columns: group string, type string, aliases list, lists list, parents list, units list, leaders list, backers list, designated_by list, calls list, sources list, graph list
MATCH (:Name {key: toLower($group)})-[:NAMES]->(g:Entity)
// read from Fact nodes: one per (predicate, subject, object), however many articles state it;
// each list is gathered in one pass over the group's facts (collect() leaves out the nulls)
OPTIONAL MATCH (g)<-[:FACT_SUBJECT]-(fo:Fact)-[:FACT_OBJECT]->(xo:Entity)
WHERE xo <> g
// in a total order (a fact's key is unique; two linked entities may share a name), so both engines
// keep the same lists, the same 20 sources and the same 100 facts
WITH g, fo, xo ORDER BY fo.predicate, xo.name, fo.key
WITH g, collect(CASE WHEN fo.predicate = 'PART_OF' THEN xo.name END) AS parents,
     collect(fo) AS out_facts, collect(xo) AS out_entities
OPTIONAL MATCH (g)<-[:FACT_OBJECT]-(fi:Fact)-[:FACT_SUBJECT]->(xi:Entity)
WHERE xi <> g
WITH g, parents, out_facts, out_entities, fi, xi ORDER BY fi.predicate, xi.name, fi.key
WITH g, parents, out_facts, out_entities,
     collect(CASE WHEN fi.predicate = 'PART_OF' THEN xi.name END) AS units,
     collect(CASE WHEN fi.predicate = 'LEADS'
                  THEN xi.name + CASE WHEN fi.former THEN ' (former ' ELSE ' (' END
                       + coalesce(head(fi.roles), 'leader') + ')' END) AS leaders,
     collect(CASE WHEN fi.predicate = 'SUPPORTS' THEN xi.name END) AS backers,
     collect(CASE WHEN fi.predicate = 'DESIGNATED_AS_TERRORIST' THEN xi.name END) AS designated_by,
     collect(CASE WHEN fi.predicate = 'CALLED_FOR_DESIGNATION'
                  THEN xi.name + ' urged ' + CASE WHEN size(fi.addressees) = 0 THEN 'an unnamed authority'
                       ELSE reduce(s = '', k IN fi.addressees | s + CASE WHEN s = '' THEN '' ELSE ', ' END + k) END
                  END) AS calls,
     collect(fi) AS in_facts, collect(xi) AS in_entities
WITH g, parents, units, leaders, backers, designated_by, calls,
     out_facts + in_facts AS facts, out_entities + in_entities AS linked
RETURN g.name AS group, g.type AS type,
       reduce(seen = [], a IN coalesce(g.known_aliases, []) + coalesce(g.aliases, []) |
              CASE WHEN a = g.name OR a IN seen THEN seen ELSE seen + a END) AS aliases,
       coalesce(g.lists, []) AS lists, parents, units, leaders, backers, designated_by, calls,
       reduce(ids = [], f IN facts | CASE WHEN size(ids) >= 20 THEN ids
                                          ELSE ids + [i IN f.sources WHERE NOT i IN ids] END)[0..20] AS sources,
       [g] + facts[0..100] + linked[0..100] AS graph
ORDER BY group
