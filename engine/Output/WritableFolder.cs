namespace SSIS.Batch.Engine.Output;

/// <summary>The output or state folder cannot take files (permissions, a file in its place, a full disk); the message says what to do.</summary>
public sealed class FolderNotWritableException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>Proves a folder takes files before any work is done, so a run never fails at its end for want of a place to write.</summary>
public static class WritableFolder
{
    /// <summary>Creates <paramref name="folder"/> and writes and deletes a small file in it; <paramref name="key"/> is the config key naming it.</summary>
    public static void Ensure(string folder, string key)
    {
        if (File.Exists(folder))
            throw new FolderNotWritableException($"the {key} folder {folder} is a file: remove it or set another '{key}:' in the job config.");
        try
        {
            Directory.CreateDirectory(folder);
            var check = AtomicFile.TempPathFor(Path.Combine(folder, "write-check"));
            File.WriteAllBytes(check, [0]);
            File.Delete(check);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new FolderNotWritableException(
                $"cannot write to the {key} folder {folder}: permission denied; give this user write access or set another '{key}:' in the job config.", e);
        }
        catch (IOException e)
        {
            throw new FolderNotWritableException($"cannot write to the {key} folder {folder}: {e.Message}; free space or set another '{key}:' in the job config.", e);
        }
    }
}
