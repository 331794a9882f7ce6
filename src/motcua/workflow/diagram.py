"""The process drawn from its rows: one box per step in order, one arrow per action.

Plain SVG text (no drawing library, no JavaScript): steps stacked top to bottom, forward
arrows on the left, backward arrows (returns, rejections) on the right, actions available at
every step listed underneath.
"""

from django.utils.html import escape

BOX_W, BOX_H, GAP, LANE, LABELS = 300, 46, 40, 12, 250


def svg(process) -> str:
    steps = list(process.steps.all())
    actions = list(process.actions.select_related("from_step", "to_step"))
    row = {s.pk: i for i, s in enumerate(steps)}
    edges = [
        a
        for a in actions
        if a.from_step_id is not None and a.to_step_id not in (None, a.from_step_id)
    ]
    forward = [a for a in edges if row[a.to_step_id] > row[a.from_step_id]]
    backward = [a for a in edges if row[a.to_step_id] < row[a.from_step_id]]
    # Labels sit beside the lanes, on the row of the box the arrow enters, so no label ever
    # crosses a line: forward arrows on the left, returns on the right.
    left = LABELS + LANE * (len(forward) + 1)
    right_labels = left + BOX_W + LANE * (len(backward) + 1)
    y = lambda i: 20 + i * (BOX_H + GAP)  # noqa: E731
    parts = []
    for i, s in enumerate(steps):
        fill = "#e8f1fb" if s.is_start else "#eeeeee" if s.is_end else "#ffffff"
        hours = f" · {s.hours:g} giờ" if s.hours and not s.is_end else ""
        parts.append(
            f'<rect x="{left}" y="{y(i)}" width="{BOX_W}" height="{BOX_H}" rx="6" '
            f'fill="{fill}" stroke="#1d3557"/>'
            f'<text x="{left + BOX_W / 2}" y="{y(i) + 19}" text-anchor="middle" '
            f'font-size="13" font-weight="bold">{escape(s.name)}</text>'
            f'<text x="{left + BOX_W / 2}" y="{y(i) + 36}" text-anchor="middle" font-size="11">'
            f"{escape(s.get_role_display())}{escape(hours)}</text>"
        )
    stacked: dict = {}
    for side, group in (("left", forward), ("right", backward)):
        for lane, a in enumerate(group, start=1):
            i, j = row[a.from_step_id], row[a.to_step_id]
            if side == "left":
                edge, out, colour = left, left - LANE * lane, "#1d3557"
            else:
                edge, out, colour = left + BOX_W, left + BOX_W + LANE * lane, "#c1121f"
            y1, y2 = y(i) + BOX_H / 2 + 8, y(j) + BOX_H / 2 - 8
            parts.append(
                f'<path d="M{edge},{y1} L{out},{y1} L{out},{y2} L{edge},{y2}" fill="none" '
                f'stroke="{colour}" marker-end="url(#arrow)"/>'
            )
            k = stacked.get((side, j), 0)
            stacked[(side, j)] = k + 1
            x, anchor = (LABELS, "end") if side == "left" else (right_labels, "start")
            # Returns into one step come from different places: say which.
            text = a.label if side == "left" else f"{a.label} (từ bước «{a.from_step.name}»)"
            parts.append(
                f'<text x="{x}" y="{y(j) + BOX_H / 2 - 4 + 13 * k}" text-anchor="{anchor}" '
                f'font-size="11" fill="{colour}">{escape(text)}</text>'
            )
    lines = [f"Ở mọi bước: {a.label}" for a in actions if a.from_step_id is None]
    lines += [
        f"Ở bước «{a.from_step.name}», không chuyển bước: {a.label}"
        for a in actions
        if a.from_step_id and a.to_step_id in (None, a.from_step_id)
    ]
    bottom = y(len(steps))
    for n, line in enumerate(lines):
        parts.append(f'<text x="10" y="{bottom + 4 + 16 * n}" font-size="12">{escape(line)}</text>')
    height = bottom + 16 * len(lines) + 16
    width = right_labels + 2 * LABELS
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="sans-serif">'
        f"<title>Sơ đồ {escape(str(process))}</title>"
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/>'
        "</marker></defs>" + "".join(parts) + "</svg>"
    )
