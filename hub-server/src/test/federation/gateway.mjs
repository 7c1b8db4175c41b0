// An Apollo gateway composing the hub and the matching service: each subgraph's SDL is read (the hub's with a
// token: its SDL follows the introspection setting), composed with @apollo/composition, and served. The
// caller's Authorization header goes on to the subgraphs, so the hub applies the caller's own rules and limits.
// Usage: HUB_TOKEN=... node gateway.mjs HUB_URL MATCHING_URL PORT
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';

const [hubUrl, matchingUrl, port] = process.argv.slice(2);

async function sdl(url, token) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = await response.json();
  if (body.errors) {
    throw new Error(`${url}: ${JSON.stringify(body.errors)}`);
  }
  return parse(body.data._service.sdl);
}

const composed = composeServices([
  { name: 'hub', url: hubUrl, typeDefs: await sdl(hubUrl, process.env.HUB_TOKEN) },
  { name: 'matching', url: matchingUrl, typeDefs: await sdl(matchingUrl) },
]);
if (composed.errors) {
  console.error(`composition failed: ${composed.errors.map((e) => e.message).join('\n')}`);
  process.exit(1);
}

const gateway = new ApolloGateway({
  supergraphSdl: composed.supergraphSdl,
  buildService: ({ url }) => new RemoteGraphQLDataSource({
    url,
    willSendRequest({ request, context }) {
      if (context.authorization) {
        request.http.headers.set('authorization', context.authorization);
      }
    },
  }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(port) },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});
console.log(`gateway ready at ${url}`);
