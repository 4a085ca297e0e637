// gitops-health prints, for each Kubernetes object it reads, the health Argo CD and Flux would show:
// Argo CD's from the resource customization's health.lua, run in gopher-lua the way Argo CD runs it,
// and kstatus' (sigs.k8s.io/cli-utils), the library Flux's health checks use.
//
//	gitops-health --health-dir examples/gitops/argocd/health [-o json|text] [FILE…]
//
// Files hold YAML (several documents) or JSON, single objects or Lists (`kubectl get -o json`);
// none or `-` reads stdin. JSON output is an array with one entry per object, in input order.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

// Health is a status and its message, as Argo CD and kstatus both report them.
type Health struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// Result is one object's verdicts. Argocd is nil when no health.lua exists for its group and kind.
type Result struct {
	APIVersion string  `json:"apiVersion"`
	Kind       string  `json:"kind"`
	Namespace  string  `json:"namespace,omitempty"`
	Name       string  `json:"name"`
	Argocd     *Health `json:"argocd"`
	ArgocdErr  string  `json:"argocdError,omitempty"`
	Kstatus    Health  `json:"kstatus"`
	KstatusErr string  `json:"kstatusError,omitempty"`
}

func main() {
	healthDir := flag.String("health-dir", "", "folder of Argo CD resource customizations: <group>/<kind>/health.lua")
	output := flag.String("o", "json", "output: json (an array) or text (a line per object)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: gitops-health --health-dir DIR [-o json|text] [FILE…]   (no FILE or - : stdin)")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *healthDir == "" || (*output != "json" && *output != "text") {
		flag.Usage()
		os.Exit(2)
	}
	objects, err := readObjects(flag.Args())
	if err != nil {
		fmt.Fprintf(os.Stderr, "gitops-health: %v\n", err)
		os.Exit(1)
	}
	results := make([]Result, 0, len(objects))
	for _, u := range objects {
		results = append(results, evaluate(u, *healthDir))
	}
	if *output == "text" {
		for _, r := range results {
			fmt.Println(r.text())
		}
		return
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(results); err != nil {
		fmt.Fprintf(os.Stderr, "gitops-health: %v\n", err)
		os.Exit(1)
	}
}

func (r Result) text() string {
	name := r.Name
	if r.Namespace != "" {
		name = r.Namespace + "/" + r.Name
	}
	argo := "argocd=(no health check)"
	if r.Argocd != nil {
		argo = fmt.Sprintf("argocd=%s (%s)", r.Argocd.Status, r.Argocd.Message)
	}
	return fmt.Sprintf("%s %s  %s  kstatus=%s (%s)", r.Kind, name, argo, r.Kstatus.Status, r.Kstatus.Message)
}

func evaluate(u *unstructured.Unstructured, healthDir string) Result {
	r := Result{APIVersion: u.GetAPIVersion(), Kind: u.GetKind(), Namespace: u.GetNamespace(), Name: u.GetName()}
	if h, err := argoHealth(u, healthDir); err != nil {
		// Argo CD shows a failing health script as Unknown with the error.
		r.Argocd = &Health{Status: "Unknown", Message: err.Error()}
		r.ArgocdErr = err.Error()
	} else {
		r.Argocd = h
	}
	if res, err := status.Compute(u); err != nil {
		r.Kstatus = Health{Status: string(status.UnknownStatus), Message: err.Error()}
		r.KstatusErr = err.Error()
	} else {
		r.Kstatus = Health{Status: string(res.Status), Message: res.Message}
	}
	return r
}

// readObjects decodes every document of every input; numbers become int64 where integral, as in
// the objects Argo CD and Flux get from the API server (kstatus reads generations as int64).
func readObjects(paths []string) ([]*unstructured.Unstructured, error) {
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	var out []*unstructured.Unstructured
	for _, p := range paths {
		objects, err := readInput(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, objects...)
	}
	return out, nil
}

func readInput(path string) ([]*unstructured.Unstructured, error) {
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	var out []*unstructured.Unstructured
	dec := utilyaml.NewYAMLOrJSONDecoder(bufio.NewReader(r), 4096)
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		var obj map[string]any
		if err := utiljson.Unmarshal(raw, &obj); err != nil {
			return nil, err
		}
		if obj == nil {
			continue // an empty document
		}
		u := &unstructured.Unstructured{Object: obj}
		if items, ok := obj["items"].([]any); ok && strings.HasSuffix(u.GetKind(), "List") {
			for _, item := range items {
				if m, ok := item.(map[string]any); ok {
					out = append(out, &unstructured.Unstructured{Object: m})
				}
			}
			continue
		}
		if u.GetKind() == "" {
			return nil, errors.New("a document has no kind; give Kubernetes objects (YAML or JSON)")
		}
		out = append(out, u)
	}
}

// argoHealth does what Argo CD's controller does for a resource with a Lua health customization: a
// resource being deleted is Progressing "Pending deletion" (gitops-engine checks that before any
// script); else health.lua runs with `obj` set, and the table it returns is the health.
func argoHealth(u *unstructured.Unstructured, healthDir string) (*Health, error) {
	group := u.GroupVersionKind().Group
	if group == "" {
		group = "_"
	}
	script, err := os.ReadFile(filepath.Join(healthDir, group, u.GetKind(), "health.lua"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if u.GetDeletionTimestamp() != nil {
		return &Health{Status: "Progressing", Message: "Pending deletion"}, nil
	}
	return runHealthLua(u.Object, string(script))
}

// runHealthLua runs a health script as Argo CD's controller does (util/lua in argoproj/argo-cd): no
// standard libraries but package, base and table (Argo CD adds a safe os with time and date only,
// which these scripts do not use, so here a script touching os fails), one second at most, the
// object as the global `obj`, and the returned table read as {status, message}.
func runHealthLua(obj map[string]any, script string) (*Health, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{{lua.LoadLibName, lua.OpenPackage}, {lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", toLua(l, obj))
	if err := l.DoString(script); err != nil {
		return nil, err
	}
	return healthFromLua(l.Get(-1))
}

// toLua converts a decoded object the way Argo CD's decodeValue does: maps to hash tables, slices
// to arrays (1-based), numbers to Lua numbers, null to nil.
func toLua(l *lua.LState, value any) lua.LValue {
	switch v := value.(type) {
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case int64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case json.Number:
		return lua.LString(v)
	case []any:
		t := l.CreateTable(len(v), 0)
		for _, item := range v {
			t.Append(toLua(l, item))
		}
		return t
	case map[string]any:
		t := l.CreateTable(0, len(v))
		for k, item := range v {
			t.RawSetH(lua.LString(k), toLua(l, item))
		}
		return t
	}
	return lua.LNil
}

var validStatus = map[string]bool{
	"Unknown": true, "Progressing": true, "Suspended": true, "Healthy": true, "Degraded": true, "Missing": true,
}

// healthFromLua reads the script's result as Argo CD does: nil or an empty table is "no health";
// status and message must be strings; a status Argo CD does not know becomes Unknown.
func healthFromLua(ret lua.LValue) (*Health, error) {
	switch ret.Type() {
	case lua.LTNil:
		return &Health{}, nil
	case lua.LTTable:
	default:
		return nil, fmt.Errorf("expect table output from Lua script, not %s", ret.Type())
	}
	t := ret.(*lua.LTable)
	empty := true
	t.ForEach(func(lua.LValue, lua.LValue) { empty = false })
	if empty {
		return &Health{}, nil
	}
	h := &Health{}
	for key, dst := range map[string]*string{"status": &h.Status, "message": &h.Message} {
		switch v := t.RawGetString(key).(type) {
		case *lua.LNilType:
		case lua.LString:
			*dst = string(v)
		default:
			return nil, fmt.Errorf("health %s must be a string, not %s", key, v.Type())
		}
	}
	if !validStatus[h.Status] {
		return &Health{Status: "Unknown", Message: "Lua returned an invalid health status"}, nil
	}
	return h, nil
}
