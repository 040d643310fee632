using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace SSIS.Batch.Engine.Catalog;

/// <summary>
/// Reads files and folders whose names are not UTF-8 (Latin-1 names from old archives), which .NET lists with U+FFFD and
/// cannot open: each gets a symbolic link with a UTF-8 name in <paramref name="folder"/> (the state folder's
/// <c>names/</c>), and the run reads it through the link. The link is <c>names/HASH/NAME</c>: HASH from the entry's real
/// path bytes (so the same entry gets the same link in every run, and two entries never share one), NAME its name with
/// each byte that is not UTF-8 written as <c>%XX</c> (<c>Caf%E9.ogg</c>). Linux only: elsewhere, and where no link can be
/// made, such names stay unreadable (NAME_NOT_UTF8).
/// </summary>
public sealed partial class NameAliases(string folder)
{
    /// <summary>The links' folder in the job's state folder (shared by its shards, so every shard reads a file by the same path).</summary>
    public const string StateSubfolder = "names";

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public string Folder => folder;

    /// <summary>
    /// The links to the entries of <paramref name="parent"/> whose names are not UTF-8 (made now when missing), each with
    /// its real name as .NET lists it (with U+FFFD); empty when there are none or no link can be made.
    /// </summary>
    public IReadOnlyList<(string ListedName, string Alias)> Of(string parent)
    {
        if (!OperatingSystem.IsLinux()) return [];
        var parentBytes = Encoding.UTF8.GetBytes(Path.TrimEndingDirectorySeparator(parent));
        var aliases = new List<(string, string)>();
        foreach (var name in RawNamesIn(parentBytes).Where(n => !IsUtf8(n)))
        {
            byte[] target = [.. parentBytes, (byte)'/', .. name];
            var alias = Path.Combine(folder, Convert.ToHexStringLower(SHA256.HashData(target))[..16], Escaped(name));
            if (!Exists(alias) && !TryLink(target, alias)) continue;
            aliases.Add((Encoding.UTF8.GetString(name), alias));
        }
        return aliases;
    }

    /// <summary>A name with each byte that is not part of valid UTF-8 (and each '%') written as %XX.</summary>
    internal static string Escaped(byte[] name)
    {
        var text = new StringBuilder();
        var i = 0;
        while (i < name.Length)
        {
            var length = Utf8SequenceLength(name, i);
            if (length > 0 && name[i] != (byte)'%')
            {
                text.Append(Encoding.UTF8.GetString(name, i, length));
                i += length;
            }
            else text.Append('%').Append(name[i++].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    /// <summary>The length of the valid UTF-8 sequence at <paramref name="start"/>, or 0 when the byte there starts none.</summary>
    private static int Utf8SequenceLength(byte[] bytes, int start)
    {
        for (var length = 1; length <= 4 && start + length <= bytes.Length; length++)
        {
            try
            {
                StrictUtf8.GetString(bytes, start, length);
                return length;
            }
            catch (DecoderFallbackException) { }
        }
        return 0;
    }

    private static bool IsUtf8(byte[] name)
    {
        try
        {
            StrictUtf8.GetString(name);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Whether a link (even one whose target is gone) is at <paramref name="path"/>.</summary>
    private static bool Exists(string path) => new FileInfo(path).LinkTarget is not null;

    private static bool TryLink(byte[] target, string alias)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(alias)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        return symlink([.. target, 0], [.. Encoding.UTF8.GetBytes(alias), 0]) == 0 || Exists(alias);
    }

    /// <summary>The names in a folder as the bytes the file system holds (without "." and "..").</summary>
    private static List<byte[]> RawNamesIn(byte[] folderPath)
    {
        var names = new List<byte[]>();
        var directory = opendir([.. folderPath, 0]);
        if (directory == IntPtr.Zero) return names;
        try
        {
            for (var entry = readdir(directory); entry != IntPtr.Zero; entry = readdir(directory))
            {
                var name = NameOf(entry);
                if (name is not ([] or [(byte)'.'] or [(byte)'.', (byte)'.'])) names.Add(name);
            }
        }
        finally
        {
            closedir(directory);
        }
        return names;
    }

    /// <summary>glibc's struct dirent on 64-bit Linux: d_ino (8), d_off (8), d_reclen (2), d_type (1), then d_name.</summary>
    private const int NameOffset = 19;

    private static byte[] NameOf(IntPtr entry)
    {
        var name = new List<byte>();
        for (var i = 0; i < 256 && Marshal.ReadByte(entry, NameOffset + i) is var b && b != 0; i++) name.Add(b);
        return [.. name];
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial IntPtr opendir(byte[] name);

    [LibraryImport("libc", SetLastError = true)]
    private static partial IntPtr readdir(IntPtr directory);

    [LibraryImport("libc")]
    private static partial int closedir(IntPtr directory);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int symlink(byte[] target, byte[] linkPath);
}
