namespace SSIS.Batch.Engine.Catalog;

/// <summary>
/// File names whose bytes are not UTF-8 (Latin-1 names from old archives): .NET decodes them with U+FFFD, so the name
/// it lists cannot be opened again.
/// </summary>
public static class NameNotUtf8
{
    /// <summary>Whether the folder holds an entry the listing decoded to this (U+FFFD-bearing) name.</summary>
    public static bool ExistsUnderAnotherName(string path)
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
