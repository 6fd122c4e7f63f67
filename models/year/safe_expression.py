"""Score formulas live in the framework files; this evaluates them without eval()."""

from __future__ import annotations

import ast
import operator

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_FUNCTIONS = {"min": min, "max": max, "round": round}


class ExpressionError(ValueError):
    """A formula that uses something other than arithmetic, numbers and the allowed names."""


def check(expression: str, names: set[str]) -> None:
    """Refuse anything but + - * / ( ), numbers, min/max/round and the given names."""
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"อ่านสูตรไม่ได้: {error.msg}") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in names | set(_FUNCTIONS):
            raise ExpressionError(f"ชื่อ {node.id!r} ใช้ในสูตรไม่ได้ (ใช้ได้: {', '.join(sorted(names))})")
        if isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS
        ):
            raise ExpressionError("เรียกฟังก์ชันได้เฉพาะ min, max, round")
        allowed = (
            ast.Expression,
            ast.BinOp,
            ast.UnaryOp,
            ast.USub,
            ast.Constant,
            ast.Name,
            ast.Load,
            ast.Call,
            *_BINARY,
        )
        if not isinstance(node, allowed) or (
            isinstance(node, ast.Constant) and not isinstance(node.value, int | float)
        ):
            raise ExpressionError(f"ใช้ {type(node).__name__} ในสูตรไม่ได้")


def evaluate(expression: str, values: dict[str, float]) -> float:
    """The formula's value for these names (division by zero gives 0)."""
    check(expression, set(values))

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return values[node.id]
        if isinstance(node, ast.UnaryOp):
            return -walk(node.operand)
        if isinstance(node, ast.Call):
            return _FUNCTIONS[node.func.id](*(walk(arg) for arg in node.args))
        left, right = walk(node.left), walk(node.right)
        if isinstance(node.op, ast.Div) and right == 0:
            return 0.0
        return _BINARY[type(node.op)](left, right)

    return float(walk(ast.parse(expression, mode="eval")))
