// etcd's server, built from the go.etcd.io/etcd/server/v3 release that Kubernetes requires, so the
// control plane and its store come from one module graph.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
