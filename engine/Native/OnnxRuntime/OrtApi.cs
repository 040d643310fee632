using System.Runtime.InteropServices;

namespace SSIS.Batch.Engine.Native.OnnxRuntime;

/// <summary>
/// ONNX Runtime's C API (1.30) reached through its function table: <c>OrtGetApiBase()->GetApi(30)</c> returns an
/// array of function pointers; the slot numbers below are the zero-based positions in that table (see FACTS.md).
/// </summary>
internal static unsafe partial class OrtApi
{
    public const uint ApiVersion = 30;

    public const int ElementFloat = 1;
    public const int ElementInt64 = 7;

    private const int LoggingLevelError = 3;
    private const int GraphOptimizationAll = 99;

    private static readonly IntPtr* Table = LoadTable();

    [LibraryImport(NativeLibraries.OnnxRuntime, EntryPoint = "OrtGetApiBase")]
    private static partial IntPtr GetApiBase();

    private static IntPtr* LoadTable()
    {
        NativeLibraries.EnsureResolver();
        var apiBase = (IntPtr*)GetApiBase();
        var getApi = (delegate* unmanaged<uint, IntPtr*>)apiBase[0];
        var table = getApi(ApiVersion);
        if (table == null) throw new DllNotFoundException($"libonnxruntime does not offer C API version {ApiVersion}: run './run.sh setup'.");
        return table;
    }

    /// <summary>Throws <see cref="OnnxRuntimeException"/> with ORT's message when a call returned a status.</summary>
    public static void Check(IntPtr status)
    {
        if (status == IntPtr.Zero) return;
        var message = Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr, IntPtr>)Table[2])(status)) ?? "ONNX Runtime call failed";
        ((delegate* unmanaged<IntPtr, void>)Table[93])(status);
        throw new OnnxRuntimeException(message);
    }

    public static IntPtr CreateEnv(string logId)
    {
        IntPtr env;
        var id = Marshal.StringToCoTaskMemUTF8(logId);
        try
        {
            Check(((delegate* unmanaged<int, IntPtr, IntPtr*, IntPtr>)Table[3])(LoggingLevelError, id, &env));
        }
        finally
        {
            Marshal.FreeCoTaskMem(id);
        }
        return env;
    }

    public static IntPtr CreateSessionOptions(int intraOpThreads)
    {
        IntPtr options;
        Check(((delegate* unmanaged<IntPtr*, IntPtr>)Table[10])(&options));
        Check(((delegate* unmanaged<IntPtr, int, IntPtr>)Table[23])(options, GraphOptimizationAll));
        Check(((delegate* unmanaged<IntPtr, int, IntPtr>)Table[24])(options, intraOpThreads));
        Check(((delegate* unmanaged<IntPtr, int, IntPtr>)Table[25])(options, 1));
        return options;
    }

    public static IntPtr CreateSession(IntPtr env, string modelPath, IntPtr options)
    {
        IntPtr session;
        var path = Marshal.StringToCoTaskMemUTF8(modelPath);
        try
        {
            Check(((delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr*, IntPtr>)Table[7])(env, path, options, &session));
        }
        finally
        {
            Marshal.FreeCoTaskMem(path);
        }
        return session;
    }

    public static void Run(IntPtr session, IntPtr* inputNames, IntPtr* inputs, nuint inputCount, IntPtr* outputNames, nuint outputCount, IntPtr* outputs) =>
        Check(((delegate* unmanaged<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr>)Table[9])(
            session, IntPtr.Zero, inputNames, inputs, inputCount, outputNames, outputCount, outputs));

    public static nuint InputCount(IntPtr session)
    {
        nuint count;
        Check(((delegate* unmanaged<IntPtr, nuint*, IntPtr>)Table[30])(session, &count));
        return count;
    }

    public static nuint OutputCount(IntPtr session)
    {
        nuint count;
        Check(((delegate* unmanaged<IntPtr, nuint*, IntPtr>)Table[31])(session, &count));
        return count;
    }

    /// <summary>Input (slot 36) or output (slot 37) name, copied and freed with the default allocator.</summary>
    public static string Name(IntPtr session, nuint index, bool output)
    {
        IntPtr allocator, name;
        Check(((delegate* unmanaged<IntPtr*, IntPtr>)Table[78])(&allocator));
        Check(((delegate* unmanaged<IntPtr, nuint, IntPtr, IntPtr*, IntPtr>)Table[output ? 37 : 36])(session, index, allocator, &name));
        try
        {
            return Marshal.PtrToStringUTF8(name) ?? "";
        }
        finally
        {
            Check(((delegate* unmanaged<IntPtr, IntPtr, IntPtr>)Table[76])(allocator, name));
        }
    }

    /// <summary>Element type and shape (-1 for a dynamic dimension) of input (slot 33) or output (slot 34) <paramref name="index"/>.</summary>
    public static (int ElementType, long[] Shape) TypeAndShape(IntPtr session, nuint index, bool output)
    {
        IntPtr typeInfo, tensorInfo;
        Check(((delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)Table[output ? 34 : 33])(session, index, &typeInfo));
        try
        {
            Check(((delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)Table[55])(typeInfo, &tensorInfo));
            return (ElementType(tensorInfo), Dimensions(tensorInfo));
        }
        finally
        {
            ((delegate* unmanaged<IntPtr, void>)Table[98])(typeInfo);
        }
    }

    public static IntPtr CreateCpuMemoryInfo()
    {
        IntPtr info;
        Check(((delegate* unmanaged<int, int, IntPtr*, IntPtr>)Table[69])(0 /* device allocator */, 0 /* default memory */, &info));
        return info;
    }

    /// <summary>A tensor over caller-owned memory, which must stay pinned until the value is released.</summary>
    public static IntPtr CreateTensor(IntPtr memoryInfo, void* data, nuint bytes, long* shape, nuint rank, int elementType)
    {
        IntPtr value;
        Check(((delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr>)Table[49])(
            memoryInfo, data, bytes, shape, rank, elementType, &value));
        return value;
    }

    public static void* TensorData(IntPtr value)
    {
        void* data;
        Check(((delegate* unmanaged<IntPtr, void**, IntPtr>)Table[51])(value, &data));
        return data;
    }

    public static long[] ValueShape(IntPtr value)
    {
        IntPtr info;
        Check(((delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)Table[65])(value, &info));
        try
        {
            return Dimensions(info);
        }
        finally
        {
            ((delegate* unmanaged<IntPtr, void>)Table[99])(info);
        }
    }

    public static string BuildInfo => Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr>)Table[254])()) ?? "unknown";

    public static void ReleaseEnv(IntPtr p) => ((delegate* unmanaged<IntPtr, void>)Table[92])(p);
    public static void ReleaseMemoryInfo(IntPtr p) => ((delegate* unmanaged<IntPtr, void>)Table[94])(p);
    public static void ReleaseSession(IntPtr p) => ((delegate* unmanaged<IntPtr, void>)Table[95])(p);
    public static void ReleaseValue(IntPtr p) => ((delegate* unmanaged<IntPtr, void>)Table[96])(p);
    public static void ReleaseSessionOptions(IntPtr p) => ((delegate* unmanaged<IntPtr, void>)Table[100])(p);

    private static int ElementType(IntPtr tensorInfo)
    {
        int type;
        Check(((delegate* unmanaged<IntPtr, int*, IntPtr>)Table[60])(tensorInfo, &type));
        return type;
    }

    private static long[] Dimensions(IntPtr tensorInfo)
    {
        nuint rank;
        Check(((delegate* unmanaged<IntPtr, nuint*, IntPtr>)Table[61])(tensorInfo, &rank));
        var dims = new long[(int)rank];
        fixed (long* d = dims) Check(((delegate* unmanaged<IntPtr, long*, nuint, IntPtr>)Table[62])(tensorInfo, d, rank));
        return dims;
    }
}

/// <summary>An ONNX Runtime call failed; the message is ORT's own.</summary>
public sealed class OnnxRuntimeException(string message) : Exception(message);
