using System.Runtime.InteropServices;

namespace SSIS.Batch.Engine.Native.DuckDb;

internal sealed class DuckDbDatabaseHandle() : SafeHandle(IntPtr.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == IntPtr.Zero;

    public static DuckDbDatabaseHandle Open(string? path)
    {
        var state = DuckDbNative.Open(path, out var raw);
        var safe = new DuckDbDatabaseHandle();
        safe.SetHandle(raw);
        if (state != DuckDbNative.Success)
        {
            safe.Dispose();
            throw new DuckDbException($"Cannot open DuckDB database '{path ?? ":memory:"}'.");
        }
        return safe;
    }

    protected override bool ReleaseHandle()
    {
        DuckDbNative.Close(ref handle);
        return true;
    }
}

internal sealed class DuckDbConnectionHandle() : SafeHandle(IntPtr.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == IntPtr.Zero;

    public static DuckDbConnectionHandle Connect(DuckDbDatabaseHandle database)
    {
        var state = DuckDbNative.Connect(database.DangerousGetHandle(), out var raw);
        var safe = new DuckDbConnectionHandle();
        safe.SetHandle(raw);
        if (state != DuckDbNative.Success)
        {
            safe.Dispose();
            throw new DuckDbException("Cannot connect to the DuckDB database.");
        }
        return safe;
    }

    protected override bool ReleaseHandle()
    {
        DuckDbNative.Disconnect(ref handle);
        return true;
    }
}
