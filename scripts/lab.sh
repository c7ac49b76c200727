#!/usr/bin/env bash
# Start JupyterLab on the student's own copy of the course. `make lab` runs this, and so do
# the tests that check the server; extra arguments go to `jupyter lab`.
#
# The copy (my-course/, git-ignored) is made from notebooks/ on first use. Later runs add
# the notebooks that are new in notebooks/ and never overwrite one the student has: when a
# committed notebook changed since it was copied, this says so and says how to get it.
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
  while IFS= read -r -d '' source; do
    name="${source#"$root/notebooks/"}"
    sum="$(cksum < "$source" | cut -d' ' -f1)"
    if [ ! -e "$course/$name" ]; then
      mkdir -p "$(dirname "$course/$name")"
      cp "$source" "$course/$name"
      awk -v n="$name" '$2 != n' "$versions" > "$versions.new"
      echo "$sum $name" >> "$versions.new"
      mv "$versions.new" "$versions"
    elif ! grep -q -x -F "$sum $name" "$versions"; then
      changed+=("$name")
    fi
  done < <(find "$root/notebooks" -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -print0 | sort -z)
  if [ "${#changed[@]}" -gt 0 ]; then
    echo "lab: a newer version of these notebooks is in notebooks/; your copy is kept:"
    printf '  %s\n' "${changed[@]}"
    echo "lab: to get the newest version, rename or delete your copy in $course and run make lab again"
  fi
  # nbgrader's menus are for instructors: off in the student's lab.
  export JUPYTER_CONFIG_PATH="$config/student${JUPYTER_CONFIG_PATH:+:$JUPYTER_CONFIG_PATH}"
  args+=(--notebook-dir="$course" --LabApp.default_url=/lab/tree/00-start-here.ipynb)
fi
# JupyterLab refuses to run as root without this flag (containers, CI machines).
if [ "$(id -u)" = "0" ]; then
  args+=(--allow-root)
fi
echo "lab: open the URL below that ends in ?token=...; to see it again: .venv/bin/jupyter server list"
exec "$root/.venv/bin/jupyter" lab "${args[@]}" "$@"
