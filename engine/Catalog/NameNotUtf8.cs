namespace SSIS.Batch.Engine.Catalog;

/// <summary>
/// File names whose bytes are not UTF-8 (Latin-1 names from old archives): .NET decodes them with U+FFFD, so the name
/// it lists cannot be opened again.
/// </summary>
public static class NameNotUtf8
{
    /// <summary>What a name that is not UTF-8 means for a file or folder, and how to mend it.</summary>
    public static string Advice(string what) =>
        $"the {what} name is not valid UTF-8 (a Latin-1 name?), so it cannot be opened by name: rename it to UTF-8 (e.g. convmv -f latin1 -t utf8 -r --notest FOLDER)";

    /// <summary>Whether <paramref name="path"/>, as the folder walk listed it, names an entry whose name is not UTF-8.</summary>
    public static bool Applies(string path) => Path.GetFileName(path).Contains('\uFFFD') && ExistsUnderAnotherName(path);

    /// <summary>Whether the folder holds an entry the listing decoded to this (U+FFFD-bearing) name.</summary>
    private static bool ExistsUnderAnotherName(string path)
    {
        var folder = Path.GetDirectoryName(path);
        var name = Path.GetFileName(path);
        try
        {
            return folder is not null && Directory.EnumerateFileSystemEntries(folder).Any(e => Path.GetFileName(e) == name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
