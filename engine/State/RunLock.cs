using System.Text.Json;
using System.Text.Json.Serialization;

namespace SSIS.Batch.Engine.State;

/// <summary>Who holds a state folder: written beside the lock so a second run can name it.</summary>
public sealed record RunLockHolder(
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("started_utc")] DateTime StartedUtc,
    [property: JsonPropertyName("command")] string Command)
{
    public override string ToString() => $"pid {Pid} on host {Host}, started {StartedUtc:yyyy-MM-dd HH:mm:ss} UTC ({Command})";
}

/// <summary>Another run holds the state folder; the message names it.</summary>
public sealed class RunLockedException(string message) : Exception(message);

/// <summary>
/// One run at a time per state folder. <c>run.lock</c> is held open with an exclusive OS lock (flock) for the whole run,
/// so the kernel releases it when the process ends however it ends (even <c>kill -9</c>): a lock file a dead run left is
/// simply taken again. Because the locked file cannot be read by another process, the holder is described in
/// <c>run.lock.json</c> (pid, host, start time, command).
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = "run.lock";
    public const string HolderFileName = "run.lock.json";

    private readonly FileStream _lock;
    private readonly string _holderPath;

    /// <summary>The earlier holder whose run ended without releasing its files (it crashed or was killed), if any.</summary>
    public RunLockHolder? TakenOverFrom { get; }

    private RunLock(FileStream held, string holderPath, RunLockHolder? takenOverFrom)
    {
        _lock = held;
        _holderPath = holderPath;
        TakenOverFrom = takenOverFrom;
    }

    /// <summary>Takes the lock of <paramref name="stateFolder"/> at once, or throws <see cref="RunLockedException"/> naming the holder.</summary>
    public static RunLock Acquire(string stateFolder, string command)
    {
        Directory.CreateDirectory(stateFolder);
        var lockPath = Path.Combine(stateFolder, FileName);
        var holderPath = Path.Combine(stateFolder, HolderFileName);
        FileStream held;
        try
        {
            held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            var holder = ReadHolder(holderPath);
            throw new RunLockedException($"another run is using the state folder {stateFolder}: " +
                                         (holder?.ToString() ?? "its holder is not recorded yet") +
                                         "; wait for it to finish, or stop it (Ctrl-C keeps its finished work), then run again.");
        }
        var previous = ReadHolder(holderPath);
        var self = new RunLockHolder(Environment.ProcessId, Environment.MachineName, DateTime.UtcNow, command);
        // Atomic: a run killed while writing it must leave the last holder or this one, never an empty record.
        Output.AtomicFile.WriteAllText(holderPath, JsonSerializer.Serialize(self));
        return new RunLock(held, holderPath, previous);
    }

    private static RunLockHolder? ReadHolder(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<RunLockHolder>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Removes the holder record, then releases the OS lock (the lock file stays: deleting it could race a run taking it).</summary>
    public void Dispose()
    {
        File.Delete(_holderPath);
        _lock.Dispose();
    }
}
