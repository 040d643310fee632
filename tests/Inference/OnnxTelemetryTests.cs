using System.Runtime.InteropServices;

namespace SSIS.Batch.Tests.Inference;

public partial class OnnxTelemetryTests
{
    [Fact]
    public void Onnx_runtime_telemetry_is_off_in_the_native_environment_before_the_runtime_starts()
    {
        // Loading the engine runs its module initializer; ONNX Runtime reads the variable from the native environment.
        Assert.False(string.IsNullOrEmpty(SSIS.Batch.Engine.Inference.OnnxModels.RuntimeVersion));
        Assert.Equal("1", Marshal.PtrToStringUTF8(getenv("ORT_DISABLE_TELEMETRY")));
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getenv(string name);
}
