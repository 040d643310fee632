using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SSIS.Batch.Engine.Inference;

/// <summary>
/// ONNX Runtime (1.29 and later) on Linux and macOS keeps a telemetry cache in <c>~/.cache/Microsoft/DeveloperTools</c>
/// and uploads events about the machine and the models it runs, unless <c>ORT_DISABLE_TELEMETRY=1</c> is in the process
/// environment before it starts. A batch tool over someone's personal library writes nothing outside its own folders and
/// sends nothing: the engine sets it when it loads, unless the user set the variable themselves. .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach the native environment on Unix, so
/// this calls libc's <c>setenv</c>.
/// </summary>
internal static partial class OnnxTelemetry
{
    public const string Variable = "ORT_DISABLE_TELEMETRY";

#pragma warning disable CA2255 // The opt-out must precede the first ONNX Runtime call, from whichever entry point loads the engine.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void OptOut()
    {
        try
        {
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) setenv(Variable, "1", overwrite: 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Without libc's setenv the runtime keeps its default; the engine must still load.
        }
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
