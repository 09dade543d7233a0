// Constraints and indexes of schema/schema.toml, FalkorDB form (see neo4j.cypher beside it).
// FalkorDB makes uniqueness constraints with a command, not Cypher: lines starting with
// GRAPH.CONSTRAINT are sent as that command for the current graph; each needs its index first.
CREATE INDEX FOR (n:Article) ON (n.id);
CREATE INDEX FOR (n:Entity) ON (n.key);
CREATE INDEX FOR (n:Entity) ON (n.id);
CREATE INDEX FOR (n:Fact) ON (n.key);
CREATE INDEX FOR (n:Name) ON (n.key);
CREATE INDEX FOR (n:Schema) ON (n.id);
GRAPH.CONSTRAINT CREATE UNIQUE NODE Article PROPERTIES 1 id;
GRAPH.CONSTRAINT CREATE UNIQUE NODE Entity PROPERTIES 1 key;
GRAPH.CONSTRAINT CREATE UNIQUE NODE Entity PROPERTIES 1 id;
GRAPH.CONSTRAINT CREATE UNIQUE NODE Fact PROPERTIES 1 key;
GRAPH.CONSTRAINT CREATE UNIQUE NODE Name PROPERTIES 1 key;
GRAPH.CONSTRAINT CREATE UNIQUE NODE Schema PROPERTIES 1 id;
CREATE INDEX FOR (n:Article) ON (n.content_hash);
CREATE INDEX FOR (n:Article) ON (n.date);
CREATE INDEX FOR (n:Article) ON (n.outlet);
CREATE INDEX FOR (n:Entity) ON (n.name);
CREATE INDEX FOR (n:Entity) ON (n.type);
CREATE INDEX FOR (n:Entity) ON (n.designated_by);
CREATE INDEX FOR (n:Entity) ON (n.leader_facts);
CREATE INDEX FOR (n:Fact) ON (n.predicate);
CREATE INDEX FOR (n:Fact) ON (n.contradicted);
CREATE INDEX FOR (n:Fact) ON (n.outlet_count);
CALL db.idx.fulltext.createNodeIndex('Entity', 'name');
