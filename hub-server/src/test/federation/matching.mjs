// A tiny matching service: a subgraph that extends the hub's Program entity with its open mentor slots.
// Usage: node matching.mjs PORT
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])

  type Program @key(fields: "id") {
    id: ID!
    "Mentors ready for a match: here, the first byte of the id modulo 10 (FederationGatewayTest computes the same)."
    openMentorSlots: Int
  }
`);

const resolvers = {
  Program: {
    __resolveReference: (program) => ({ id: program.id }),
    openMentorSlots: (program) => parseInt(program.id.slice(0, 2), 16) % 10,
  },
};

const server = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs, resolvers }) });
const { url } = await startStandaloneServer(server, { listen: { port: Number(process.argv[2]) } });
console.log(`matching ready at ${url}`);
