"""AST → checked Program."""

from kpilang.compile.compiler import CompileResult, compile_file, compile_text
from kpilang.compile.program import Program, Unit

__all__ = ["CompileResult", "Program", "Unit", "compile_file", "compile_text"]
