#!/usr/bin/env bash
# Cold build side by side with Hugo (issue 27): the synthetic register of
# SIZE entries (examples/synth.rs: one plan per 5 entries, one review per
# 50, seed 42) built by isms-site, and the same records converted into a
# Hugo project built by Hugo, RUNS times each, interleaved (the order
# alternates each run) so that load on a shared machine hits both. Every
# run writes into a new folder below TMPDIR, kept until the script ends
# (a removal just before a run slows its file creation on ext4 without a
# journal), to disk: `hugo --minify=false
# --destination DIR` with a new cache folder (not --renderToMemory), after
# a `sync` of the file system so that neither pays for the other's
# writeback (what a build leaves in the page cache is not timed; isms-site
# writes about six times Hugo's bytes). The conversion is not timed.
# Prints the load average, then the medians of wall time, CPU time
# (user+sys) and peak resident memory (GNU time), the files written and
# their bytes, and the ratio isms-site / Hugo of each.
#
#   scripts/bench-hugo.sh [SIZE]                 default 10000
#   RUNS=5                                       runs of each (default 5)
#   TMPDIR=/dev/shm scripts/bench-hugo.sh        register and outputs on tmpfs
#   TMPDIR=/work/tmp-hugo scripts/bench-hugo.sh  on that disk (must exist)
#   BIN=path/isms-site SYNTH=path/synth          binaries already built (else
#                                                this tree's release build)
#   HUGO=path/hugo                               default `hugo` on PATH
#
# Needs Hugo (Debian 12: `apt-get install hugo`, 0.111.3, the version
# issue 27 measured against) and GNU time (/usr/bin/time).
#
# What the Hugo site has, from the same records, with minimal templates
# (one layout each, a shared page frame and a 1 kB style sheet; Goldmark
# with tables and task lists, relative URLs so that it works from file://
# as isms-site's does; no RSS, sitemap, robots.txt or 404 page):
#   - a page per entry (front matter: the entry's YAML fields as they are,
#     `type` renamed, plus `weight` for register order and `owners` for the
#     taxonomy; body:
#     its description and outcome Markdown): fields, controls and tags
#     linked to their pages, rendered Markdown, effectiveness review,
#     history, each KPI's measurements as a table, and the plans and
#     reviews naming it (found by Hugo: an `entries` taxonomy whose pages
#     are not rendered);
#   - a page per plan (fields, milestones, Markdown, its entries with their
#     titles) and per review (fields, its entries with titles, Markdown);
#   - the register, 200 rows a page as isms-site's register pages; the
#     plans and reviews lists; a home page with counts by status;
#   - taxonomies owners, controls, tags, status, source and priority as
#     isms-site has: a list of terms with counts, and a page per term with
#     its counts (open, completed, all) and the 10 open entries nearest
#     their target and the 10 completed last.
# What it lacks, that isms-site writes or computes (so the ratio flatters
# Hugo): checks and warnings on every record; overdue and effectiveness
# figures; the dashboard's charts (SVG) and each KPI's chart; review pages
# showing the register as it stood on their date, with their input packs
# and change lists; objectives page; the exports (register.csv,
# register.json, OSCAL POA&M, JSON schemas), the search index and the
# register's rows for the filter, calendars (iCalendar per owner and
# overall), SHA256SUMS, build.json and the manifest; the staging folder and
# atomic swap. Hugo writes only HTML and the style sheet.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-10000}
RUNS=${RUNS:-5}
SEED=${SEED:-42}
HUGO=${HUGO:-hugo}
command -v "$HUGO" >/dev/null || { echo "needs Hugo: apt-get install hugo (0.111.3 in Debian 12), or HUGO=path" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 1; }
if [ -z "${BIN:-}" ] || [ -z "${SYNTH:-}" ]; then
  cargo build --release --quiet --bin isms-site --example synth
fi
BIN=${BIN:-target/release/isms-site}
SYNTH=${SYNTH:-target/release/examples/synth}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# --- the Hugo project: configuration and templates ---------------------

hugo_project() { # dir
  local d=$1
  mkdir -p "$d"/content/{register,plans,reviews,entries} "$d"/layouts/{_default,partials,register,plans,reviews} "$d/static"
  cat > "$d/hugo.toml" <<'EOF'
baseURL = "/"
title = "Synthetic register"
languageCode = "en"
relativeURLs = true
disablePathToLower = true
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]
enableGitInfo = false
[taxonomies]
  owner = "owners"
  control = "controls"
  tag = "tags"
  status = "status"
  source = "source"
  priority = "priority"
  entry = "entries"
[markup.goldmark.extensions]
  table = true
  taskList = true
EOF
  printf -- '---\ntitle: Synthetic register\n---\n' > "$d/content/_index.md"
  printf -- '---\ntitle: Register\n---\n' > "$d/content/register/_index.md"
  printf -- '---\ntitle: Plans\n---\n' > "$d/content/plans/_index.md"
  printf -- '---\ntitle: Reviews\n---\n' > "$d/content/reviews/_index.md"
  # Plans and reviews name entries: a taxonomy gives each entry page the
  # pages naming it; its own pages are not rendered.
  printf -- '---\ntitle: Entries\n_build: {render: never, list: never}\ncascade:\n  _build: {render: never, list: never}\n---\n' \
    > "$d/content/entries/_index.md"
  cat > "$d/static/style.css" <<'EOF'
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 70rem; padding: 0 1rem; color: #1a1a1a; }
header { display: flex; gap: 2rem; align-items: baseline; border-bottom: 1px solid #ccc; }
nav a { margin-right: 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #e5e5e5; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; }
footer { margin: 2rem 0; color: #555; font-size: .9em; }
EOF
  cat > "$d/layouts/_default/baseof.html" <<'EOF'
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} — {{ site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header>
<a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "/register/" | relURL }}">Register</a><a href="{{ "/plans/" | relURL }}">Plans</a><a href="{{ "/reviews/" | relURL }}">Reviews</a><a href="{{ "/owners/" | relURL }}">Owners</a><a href="{{ "/controls/" | relURL }}">Controls</a><a href="{{ "/tags/" | relURL }}">Tags</a></nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer>Synthetic register · built by Hugo</footer>
</body>
</html>
EOF
  cat > "$d/layouts/partials/table.html" <<'EOF'
<table>
<thead><tr><th>#</th><th>Improvement opportunity</th><th>Status</th><th>Priority</th><th>Owner</th><th>Target</th></tr></thead>
<tbody>
{{- range . }}
<tr><td><a href="{{ .RelPermalink }}">{{ .File.ContentBaseName }}</a></td><td>{{ .Title }}</td><td>{{ .Params.status }}</td><td>{{ .Params.priority }}</td><td>{{ .Params.owner }}</td><td>{{ with .Params.target }}{{ dateFormat "2006-01-02" . }}{{ end }}</td></tr>
{{- end }}
</tbody>
</table>
EOF
  cat > "$d/layouts/index.html" <<'EOF'
{{ define "main" }}
{{ $entries := where site.RegularPages "Section" "register" }}
<h1>{{ site.Title }}</h1>
<p>{{ len $entries }} entries, {{ len (where site.RegularPages "Section" "plans") }} plans, {{ len (where site.RegularPages "Section" "reviews") }} reviews.</p>
<h2>By status</h2>
<ul>
{{- range site.Taxonomies.status.ByCount }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>: {{ .Count }}</li>
{{- end }}
</ul>
<h2>Identified last</h2>
{{ partial "table.html" (first 10 $entries.ByWeight.Reverse) }}
{{ end }}
EOF
  cat > "$d/layouts/register/list.html" <<'EOF'
{{ define "main" }}
{{ $pager := .Paginate .Pages.ByWeight 200 }}
<h1>Register</h1>
<p>{{ len .Pages }} entries · page {{ $pager.PageNumber }} of {{ $pager.TotalPages }}</p>
{{ partial "table.html" $pager.Pages }}
<nav>{{ with $pager.Prev }}<a href="{{ .URL }}">previous</a>{{ end }} {{ with $pager.Next }}<a href="{{ .URL }}">next</a>{{ end }}</nav>
{{ end }}
EOF
  cat > "$d/layouts/register/single.html" <<'EOF'
{{ define "main" }}
{{ $id := .File.ContentBaseName }}
<p><a href="{{ "/register/" | relURL }}">Register</a> › {{ $id }}</p>
<h1>{{ $id }} {{ .Title }}</h1>
<dl>
<dt>Status</dt><dd>{{ range .GetTerms "status" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</dd>
<dt>Priority</dt><dd>{{ range .GetTerms "priority" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</dd>
<dt>Type</dt><dd>{{ .Params.entry_type }}</dd>
<dt>Source</dt><dd>{{ range .GetTerms "source" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</dd>
<dt>Action owner</dt><dd>{{ range .GetTerms "owners" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ else }}unassigned{{ end }}</dd>
<dt>Identified</dt><dd>{{ dateFormat "2006-01-02" .Params.identified }}</dd>
<dt>Target completion</dt><dd>{{ with .Params.target }}{{ dateFormat "2006-01-02" . }}{{ end }}</dd>
{{ with .Params.completed }}<dt>Completed</dt><dd>{{ dateFormat "2006-01-02" . }}</dd>{{ end }}
<dt>Benefit</dt><dd>{{ .Params.benefit }}</dd>
<dt>Effort</dt><dd>{{ .Params.effort }}</dd>
<dt>Controls and clauses</dt><dd>{{ range $i, $t := .GetTerms "controls" }}{{ if $i }}, {{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}</dd>
<dt>Tags</dt><dd>{{ range $i, $t := .GetTerms "tags" }}{{ if $i }}, {{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}</dd>
</dl>
{{ .Content }}
{{ with .Params.effectiveness }}
<h2>Effectiveness review</h2>
<p>{{ .result }} — reviewed {{ dateFormat "2006-01-02" .date }} by {{ .by }}</p>
{{ end }}
<h2>History</h2>
<ul>
<li>{{ dateFormat "2006-01-02" .Params.identified }} — identified</li>
{{- range .Params.history }}
<li>{{ dateFormat "2006-01-02" .date }}{{ with .status }} — {{ . }}{{ end }} {{ .note }}</li>
{{- end }}
</ul>
{{ with .Params.kpis }}
<h2>Key performance indicators</h2>
{{ range . }}
<h3>{{ .name }}</h3>
<p>{{ .direction }} is better; unit {{ .unit }}; baseline {{ .baseline }}; target {{ .target }}</p>
<table><thead><tr><th>Date</th><th>Value ({{ .unit }})</th></tr></thead><tbody>
{{- range .measurements }}<tr><td>{{ dateFormat "2006-01-02" .date }}</td><td>{{ .value }}</td></tr>{{ end }}
</tbody></table>
{{ end }}
{{ end }}
<h2>Plans and reviews</h2>
{{ with index site.Taxonomies.entries $id }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ else }}
<p>No plan or review refers to this entry yet.</p>
{{ end }}
{{ end }}
EOF
  cat > "$d/layouts/partials/entries.html" <<'EOF'
<ul>
{{- range . }}
{{- with site.GetPage (printf "/register/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .File.ContentBaseName }}</a> {{ .Title }}</li>{{ end }}
{{- end }}
</ul>
EOF
  cat > "$d/layouts/plans/single.html" <<'EOF'
{{ define "main" }}
<p><a href="{{ "/plans/" | relURL }}">Plans</a> › {{ .Title }}</p>
<h1>{{ .Title }}</h1>
<dl><dt>Owner</dt><dd>{{ .Params.owner }}</dd><dt>Updated</dt><dd>{{ dateFormat "2006-01-02" .Params.updated }}</dd></dl>
<h2>Entries</h2>
{{ partial "entries.html" .Params.entries }}
<h2>Milestones</h2>
<table><thead><tr><th>Milestone</th><th>Due</th><th>Done</th></tr></thead><tbody>
{{- range .Params.milestones }}<tr><td>{{ .title }}</td><td>{{ dateFormat "2006-01-02" .due }}</td><td>{{ with .done }}{{ dateFormat "2006-01-02" . }}{{ end }}</td></tr>{{ end }}
</tbody></table>
{{ .Content }}
{{ end }}
EOF
  cat > "$d/layouts/plans/list.html" <<'EOF'
{{ define "main" }}
<h1>Plans</h1>
<table><thead><tr><th>Plan</th><th>Owner</th><th>Updated</th><th>Entries</th></tr></thead><tbody>
{{- range .Pages }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ .Params.owner }}</td><td>{{ dateFormat "2006-01-02" .Params.updated }}</td><td>{{ len .Params.entries }}</td></tr>{{ end }}
</tbody></table>
{{ end }}
EOF
  cat > "$d/layouts/reviews/single.html" <<'EOF'
{{ define "main" }}
<p><a href="{{ "/reviews/" | relURL }}">Reviews</a> › {{ .Title }}</p>
<h1>{{ .Title }}</h1>
<dl><dt>Date</dt><dd>{{ .Date.Format "2006-01-02" }}</dd><dt>Kind</dt><dd>{{ .Params.kind }}</dd><dt>Attendees</dt><dd>{{ delimit .Params.attendees ", " }}</dd></dl>
<h2>Entries discussed</h2>
{{ partial "entries.html" .Params.entries }}
{{ .Content }}
{{ end }}
EOF
  cat > "$d/layouts/reviews/list.html" <<'EOF'
{{ define "main" }}
<h1>Reviews</h1>
<table><thead><tr><th>Review</th><th>Date</th><th>Kind</th></tr></thead><tbody>
{{- range .Pages.ByDate }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ .Date.Format "2006-01-02" }}</td><td>{{ .Params.kind }}</td></tr>{{ end }}
</tbody></table>
{{ end }}
EOF
  cat > "$d/layouts/_default/terms.html" <<'EOF'
{{ define "main" }}
<h1>{{ .Title }}</h1>
<table><thead><tr><th>{{ .Title }}</th><th>Entries</th></tr></thead><tbody>
{{- range .Data.Terms.Alphabetical }}<tr><td><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a></td><td>{{ .Count }}</td></tr>{{ end }}
</tbody></table>
{{ end }}
EOF
  cat > "$d/layouts/_default/term.html" <<'EOF'
{{ define "main" }}
{{ $open := where .Pages "Params.status" "in" (slice "not-started" "planned" "in-progress") }}
{{ $completed := where .Pages "Params.status" "completed" }}
<p><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a> › {{ .Title }}</p>
<h1>{{ .Title }}</h1>
<p>{{ len $open }} open · {{ len $completed }} completed · {{ len .Pages }} entries in all</p>
<h2>Open, nearest target first</h2>
{{ partial "table.html" (first 10 (sort $open "Params.target")) }}
<h2>Recently completed</h2>
{{ partial "table.html" (first 10 (sort $completed "Params.completed" "desc")) }}
{{ end }}
EOF
}

# --- the records, converted ------------------------------------------

# Each entry's YAML becomes a page: its fields as front matter (`type`
# renamed `entry_type`: Hugo's `type` picks the layout), its
# `description` and `outcome` block scalars (as examples/synth.rs writes
# them: `key: |`, indented two spaces) as the Markdown body.
entries_to_hugo() { # register-dir content-dir
  (cd "$1" && find . -maxdepth 1 -name '*.yaml' | sort | xargs awk -v dest="$2" '
    function flush() {
      if (out == "") return
      printf "---\n%sweight: %d\n", fm, weight > out
      if (owner != "") printf "owners: [\"%s\"]\n", owner > out
      printf "---\n## Description\n\n%s\n## Results / outcomes\n\n%s", desc, outcome > out
      close(out)
    }
    FNR == 1 {
      flush()
      id = FILENAME; sub(/.*\//, "", id); sub(/\.yaml$/, "", id)
      out = dest "/" id ".md"; fm = ""; desc = ""; outcome = ""; owner = ""; block = ""
      weight = substr(id, index(id, "-") + 1) + 0
    }
    /^(description|outcome): [|]$/ { block = $1; next }
    block != "" && (/^  / || /^$/) {
      line = $0; sub(/^  /, "", line)
      if (block == "description:") desc = desc line "\n"; else outcome = outcome line "\n"
      next
    }
    { block = "" }
    /^owner: / { owner = substr($0, 8) }
    /^type: / { sub(/^type:/, "entry_type:") }
    { fm = fm $0 "\n" }
    END { flush() }')
}

to_hugo() { # register-dir hugo-dir
  hugo_project "$2"
  entries_to_hugo "$1/register" "$2/content/register"
  cp "$1"/plans/*.md "$2/content/plans/"
  cp "$1"/reviews/*.md "$2/content/reviews/"
}

# --- the runs ----------------------------------------------------------

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

run() { # tool n
  local dir=$WORK/run-$1-$2 out
  mkdir "$dir"
  out=$dir/site
  # The previous run's writes reach the disk now, not during this run.
  sync -f "$WORK"
  if [ "$1" = isms-site ]; then
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" "$BIN" build --content "$WORK/register" \
      --output "$out" --as-of 2026-11-27 >/dev/null 2>"$WORK/log" || { cat "$WORK/log" >&2; exit 1; }
  else
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" "$HUGO" --source "$WORK/hugo" --minify=false \
      --destination "$out" --cacheDir "$dir/cache" >"$WORK/log" 2>&1 || { cat "$WORK/log" >&2; exit 1; }
  fi
  read -r e u s m < "$WORK/t"
  echo "$e $(echo "$u + $s" | bc) $m $(find "$out" -type f | wc -l) $(find "$out" -type f -printf '%s\n' | awk '{s += $1} END {print s}') $(find "$out" -type f -name '*.html' | wc -l)" \
    >> "$WORK/times-$1"
  # Kept until the end (the trap removes WORK): on ext4 without a
  # journal, as this machine's disk is, the inodes of a tree removed in
  # the last minute are skipped one by one when new files are made, so the
  # run after a removal of some 25,000 inodes paid for it, two to three
  # times over (ext4's `recently_deleted`; docs/maintainers.md).
}

"$SYNTH" "$SIZE" "$WORK/register" "$SEED" >/dev/null
to_hugo "$WORK/register" "$WORK/hugo"
echo "synthetic $SIZE entries ($((SIZE / 5)) plans, $((SIZE / 50)) reviews), seed $SEED; output below $WORK ($(df --output=fstype "$WORK" | tail -1))"
echo "$("$BIN" --version) vs $("$HUGO" version | cut -d' ' -f1-2); medians of $RUNS interleaved runs"
echo "load average before: $(uptime | sed 's/.*load average: //')"
for n in $(seq "$RUNS"); do
  if [ $((n % 2)) = 1 ]; then run isms-site "$n"; run hugo "$n"; else run hugo "$n"; run isms-site "$n"; fi
done
echo "load average after:  $(uptime | sed 's/.*load average: //')"

col() { cut -d' ' -f"$2" "$WORK/times-$1" | median; }
ratio() { printf '%.2f' "$(echo "scale=4; $1 / $2" | bc)"; }
row() { # label column unit scale
  local a b
  a=$(col isms-site "$2"); b=$(col hugo "$2")
  printf '| %s | %s%s | %s%s | %s |\n' "$1" "$(printf '%.*f' "$5" "$(echo "scale=4; $a / $4" | bc)")" "$3" \
    "$(printf '%.*f' "$5" "$(echo "scale=4; $b / $4" | bc)")" "$3" "$(ratio "$a" "$b")"
}
echo
echo "| $SIZE entries, $(df --output=fstype "$WORK" | tail -1) | isms-site | Hugo | isms-site / Hugo |"
echo "|---|---|---|---|"
row "wall" 1 " s" 1 2
row "CPU (user+sys)" 2 " s" 1 2
row "peak RSS" 3 " MiB" 1024 0
row "files written" 4 "" 1 0
row "HTML pages" 6 "" 1 0
row "output" 5 " MB" 1000000 0
echo
for tool in isms-site hugo; do
  echo "$tool runs (wall s, CPU s, peak KiB, files, bytes, pages): $(tr '\n' ';' < "$WORK/times-$tool")"
done
