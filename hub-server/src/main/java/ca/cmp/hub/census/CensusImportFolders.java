package ca.cmp.hub.census;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ca.cmp.hub.connectors.ConnectorException;
import ca.cmp.hub.connectors.net.AddressGuard;
import ca.cmp.hub.connectors.net.ImportFolder;
import ca.cmp.hub.connectors.net.SourceFetcher;
import ca.cmp.hub.opendata.OpenDataDirectory;
import org.springframework.stereotype.Component;

/**
 * Where the files a user names for {@code loadCensusDataset} may be: the import folders and the open-data
 * bundle, checked by the very guard connector file locations go through ({@link SourceFetcher#file(String)}: the
 * real path, so {@code ..} and symbolic links cannot lead out). The server's own files stay unreadable.
 */
@Component
class CensusImportFolders {

    private final SourceFetcher guard;

    CensusImportFolders(CensusProperties properties) {
        List<ImportFolder> folders = new ArrayList<>();
        OpenDataDirectory.find(properties.dataDir()).ifPresent(d -> folders.add(new ImportFolder("open-data", d)));
        properties.importDirs().forEach(d -> folders.add(ImportFolder.parse(d)));
        // Only the file check is used: no URL is ever fetched through this instance.
        this.guard = new SourceFetcher(new AddressGuard(List.of()), SourceFetcher.Limits.defaults(), folders);
    }

    /**
     * The real path of a regular file in an import folder.
     *
     * @param input the input field naming it, for the refusal
     * @throws CensusLoadException naming {@code input} when the path is outside, missing or not a file
     */
    Path file(String input, String location) {
        if (location == null || location.isBlank() || location.length() > 2000) {
            throw new CensusLoadException(input, "is required, at most 2,000 characters");
        }
        if (SourceFetcher.isUrl(location)) {
            throw new CensusLoadException(input, "census files are read from import folders, not URLs: download "
                    + location + " into one first");
        }
        Path file;
        try {
            file = guard.file(location.strip());
        } catch (ConnectorException e) {
            throw new CensusLoadException(input, e.getMessage());
        }
        if (!Files.isRegularFile(file)) {
            throw new CensusLoadException(input, location + " is a folder, not a file");
        }
        return file;
    }
}
