package diagnosis

import (
	"runtime/debug"
	"sync"
)

// ToolVersion is the version every report names: Version when the build
// stamped one with -ldflags, else what the Go toolchain recorded in the
// binary (the module version of `go install …@v1.2.3`, or the VCS revision
// of a build from a checkout, "-dirty" when it had local changes), else
// "dev".
func ToolVersion() string {
	bi, ok := buildInfo()
	return versionFrom(Version, bi, ok)
}

// buildInfo is read once: it is parsed from the binary on every call.
var buildInfo = sync.OnceValues(debug.ReadBuildInfo)

// versionFrom is ToolVersion's rule, apart from the process for tests.
func versionFrom(stamped string, bi *debug.BuildInfo, ok bool) string {
	if stamped != "" && stamped != "dev" {
		return stamped
	}
	if !ok || bi == nil {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "dev+" + rev
	if dirty {
		v += "-dirty"
	}
	return v
}
