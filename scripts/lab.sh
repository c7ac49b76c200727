#!/usr/bin/env bash
# Start JupyterLab on the student's own copy of the course. `make lab` runs this, and so do
# the tests that check the server; extra arguments go to `jupyter lab`.
#
# The copy (my-course/, git-ignored) is made from notebooks/ on first use, with the Chinese
# edition (notebooks-zh/) in my-course/zh/ and a landing page, my-course/README.md, that
# links both editions and opens first. Later runs add the notebooks and documents that are
# new and never overwrite one the student has: when a committed one changed since it was
# copied, this says so and says how to get it. The landing page is always rewritten.
#
# Environment: INSTRUCTOR=1 keeps nbgrader's menus and serves the repository itself (the
# instructor's lab); CASEKIT_COURSE_DIR moves the student's copy elsewhere.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
config="$root/scripts/lab-config"
args=(--LabApp.app_settings_dir="$config/settings")

if [ "${INSTRUCTOR:-0}" = "1" ]; then
  echo "lab: instructor mode: the repository itself, with nbgrader's menus"
  args+=(--notebook-dir="$root" --LabApp.default_url=/lab/tree/assignments)
else
  course="${CASEKIT_COURSE_DIR:-$root/my-course}"
  versions="$course/.course-versions"  # "checksum name" of each notebook as it was copied
  if [ ! -d "$course" ]; then
    echo "lab: making your own copy of the course in $course"
  fi
  mkdir -p "$course"
  touch "$versions"
  changed=()
  # copy_edition SOURCE_DIR PREFIX: each notebook and document of SOURCE_DIR to
  # $course/PREFIX, unless the student has one already.
  copy_edition() {
    local from="$1" prefix="$2" source name sum
    while IFS= read -r -d '' source; do
      name="$prefix${source#"$from/"}"
      sum="$(cksum < "$source" | cut -d' ' -f1)"
      if [ ! -e "$course/$name" ]; then
        mkdir -p "$(dirname "$course/$name")"
        if [ -n "$prefix" ]; then
          # The Chinese edition links English files as ../notebooks/x; in the copy they
          # are one folder up from zh/.
          sed 's#\.\./notebooks/#../#g' "$source" > "$course/$name"
        else
          cp "$source" "$course/$name"
        fi
        awk -v n="$name" '$2 != n' "$versions" > "$versions.new"
        echo "$sum $name" >> "$versions.new"
        mv "$versions.new" "$versions"
      elif ! grep -q -x -F "$sum $name" "$versions"; then
        changed+=("$name")
      fi
    done < <(find "$from" \( -name '*.ipynb' -o -name '*.md' \) \
               -not -path '*/.ipynb_checkpoints/*' -print0 | sort -z)
  }
  copy_edition "$root/notebooks" ""
  if [ -d "$root/notebooks-zh" ]; then
    copy_edition "$root/notebooks-zh" "zh/"
  fi
  cp "$config/landing.md" "$course/README.md"
  if [ "${#changed[@]}" -gt 0 ]; then
    echo "lab: a newer version of these notebooks is in notebooks/ (zh/: notebooks-zh/); your copy is kept:"
    printf '  %s\n' "${changed[@]}"
    echo "lab: to get the newest version, rename or delete your copy in $course and run make lab again"
  fi
  # nbgrader's menus are for instructors: off in the student's lab.
  export JUPYTER_CONFIG_PATH="$config/student${JUPYTER_CONFIG_PATH:+:$JUPYTER_CONFIG_PATH}"
  args+=(--notebook-dir="$course" --LabApp.default_url=/lab/tree/README.md)
fi
# JupyterLab refuses to run as root without this flag (containers, CI machines).
if [ "$(id -u)" = "0" ]; then
  args+=(--allow-root)
fi
echo "lab: open the URL below that ends in ?token=...; to see it again: .venv/bin/jupyter server list"
exec "$root/.venv/bin/jupyter" lab "${args[@]}" "$@"
