"""AST → checked Program."""

from kpilang.compile.compiler import CompileResult, compile_file, compile_text
from kpilang.compile.loader import PlanFileError, read_plan_file
from kpilang.compile.program import Program, Unit

__all__ = ["CompileResult", "PlanFileError", "Program", "Unit", "compile_file", "compile_text", "read_plan_file"]
