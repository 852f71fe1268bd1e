// The GraphiQL page of graphd serve. It talks to /graphql on the same
// server, and loads nothing from anywhere else.
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';

// Monaco runs its language services in web workers, bundled beside this
// script by build.mjs.
globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    const name = label === 'json' || label === 'graphql' ? label : 'editor';
    return new Worker(new URL(`workers/${name}.worker.js`, document.baseURI));
  },
};

const endpoint = new URL('graphql', document.baseURI).toString();

async function fetcher(params, opts) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(opts?.headers ?? {}) },
    body: JSON.stringify(params),
  });
  return res.json();
}

const defaultQuery = `# Welcome to provgraph. Press ▶ (or Ctrl-Enter) to run a query;
# the Docs panel describes every type and field.

# Who first claimed something, who repeated it, who disputes it:
query WhoFirst {
  provenance(claim: "10,000 Armenian soldiers remain in Azerbaijan", first: 3) {
    score
    claim { text }
    first { text date { iso } speaker { name } document { title url } }
    repeats { text date { iso } speaker { name } }
    disputedBy { text speaker { name } }
  }
}

# What one actor said, in date order:
query Timeline {
  timeline(actor: "Ilham Aliyev", first: 10) {
    totalCount
    edges { node { date { iso } text cue document { title } } }
  }
}
`;

createRoot(document.getElementById('graphiql')).render(
  <GraphiQL fetcher={fetcher} defaultQuery={defaultQuery} />,
);
