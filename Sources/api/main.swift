import App
import Glibc

exit(CommandLineTool.main(Array(Console.arguments.dropFirst())))
