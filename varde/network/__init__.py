"""Network intelligence: the entity graph, entity resolution, attribution to known networks, unknown clusters,
the backmen ranking with legal routes, and exports (FollowTheMoney, STIX 2.1, GraphML/GEXF).

Pure domain code: values in, values out (it reads only its packaged data files). The store, CLI and API edges
live in `varde.network.service`, `varde.cli.network`, `varde.cli.export_network` and `varde.web.routes`."""
