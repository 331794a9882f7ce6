"""The process drawn from its rows: one box per step in order, one arrow per action.

Plain SVG text (no drawing library, no JavaScript): steps stacked top to bottom, forward
arrows on the left, backward arrows (returns, rejections) on the right, actions available at
every step listed underneath.
"""

from django.utils.html import escape

BOX_W, BOX_H, GAP, LEFT = 300, 46, 34, 190


def svg(process) -> str:
    steps = list(process.steps.all())
    actions = list(process.actions.select_related("from_step", "to_step"))
    row = {s.pk: i for i, s in enumerate(steps)}
    y = lambda i: 20 + i * (BOX_H + GAP)  # noqa: E731
    parts = []
    for i, s in enumerate(steps):
        fill = "#e8f1fb" if s.is_start else "#eeeeee" if s.is_end else "#ffffff"
        hours = f" · {s.hours:g} giờ" if s.hours and not s.is_end else ""
        parts.append(
            f'<rect x="{LEFT}" y="{y(i)}" width="{BOX_W}" height="{BOX_H}" rx="6" '
            f'fill="{fill}" stroke="#1d3557"/>'
            f'<text x="{LEFT + BOX_W / 2}" y="{y(i) + 19}" text-anchor="middle" '
            f'font-size="13" font-weight="bold">{escape(s.name)}</text>'
            f'<text x="{LEFT + BOX_W / 2}" y="{y(i) + 36}" text-anchor="middle" font-size="11">'
            f"{escape(s.get_role_display())}{escape(hours)}</text>"
        )
    left_lane = right_lane = 0
    for a in actions:
        if a.from_step_id is None or a.to_step_id is None:
            continue
        i, j = row[a.from_step_id], row[a.to_step_id]
        forward = j > i
        if forward:
            left_lane += 1
            x_edge, x_out = LEFT, LEFT - 12 * left_lane
        else:
            right_lane += 1
            x_edge, x_out = LEFT + BOX_W, LEFT + BOX_W + 12 * right_lane
        y1, y2 = y(i) + BOX_H / 2 + 6, y(j) + BOX_H / 2 - 6
        parts.append(
            f'<path d="M{x_edge},{y1} L{x_out},{y1} L{x_out},{y2} L{x_edge},{y2}" fill="none" '
            f'stroke="{"#1d3557" if forward else "#c1121f"}" marker-end="url(#arrow)"/>'
        )
        label_x = x_out - 4 if forward else x_out + 4
        anchor = "end" if forward else "start"
        parts.append(
            f'<text x="{label_x}" y="{(y1 + y2) / 2}" text-anchor="{anchor}" font-size="11">'
            f"{escape(a.label)}</text>"
        )
    bottom = y(len(steps))
    everywhere = [a.label for a in actions if a.from_step_id is None]
    if everywhere:
        parts.append(
            f'<text x="10" y="{bottom + 4}" font-size="12">Ở mọi bước: '
            f"{escape(', '.join(everywhere))}</text>"
        )
    looping = [
        f"{a.label} ({a.from_step.name})" for a in actions if a.from_step_id and not a.to_step_id
    ]
    if looping:
        parts.append(
            f'<text x="10" y="{bottom + 22}" font-size="12">Giữ nguyên bước: '
            f"{escape('; '.join(looping))}</text>"
        )
    height = bottom + 40
    width = LEFT + BOX_W + 200
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="sans-serif">'
        f"<title>Sơ đồ {escape(str(process))}</title>"
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/>'
        "</marker></defs>" + "".join(parts) + "</svg>"
    )
