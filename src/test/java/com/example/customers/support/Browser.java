package com.example.customers.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven through its chromedriver: a real browser for the browsable API's tests. The
 * binaries are named, so Selenium never looks for a driver online. Without them a test class fails before it starts,
 * with the line that installs them, as a missing database does: never a skip.
 */
public final class Browser implements AutoCloseable {

	private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium");

	private static final String CHROMEDRIVER = System.getenv().getOrDefault("CHROMEDRIVER_BINARY", "/usr/bin/chromedriver");

	// Selenium warns at every start that it has no DevTools protocol for this Chromium: the tests use WebDriver only.
	// Held here, because java.util.logging keeps its loggers only weakly.
	private static final List<Logger> QUIETED = Stream.of("org.openqa.selenium.devtools", "org.openqa.selenium.chromium")
		.map(Logger::getLogger)
		.peek(logger -> logger.setLevel(Level.SEVERE))
		.toList();

	// Long enough for a loaded machine: waits end as soon as the page shows what they wait for.
	private static final Duration PATIENCE = Duration.ofSeconds(60);

	private final ChromeDriver driver;

	private final Path profile;

	private final String baseUrl;

	private Browser(ChromeDriver driver, Path profile, String baseUrl) {
		this.driver = driver;
		this.profile = profile;
		this.baseUrl = baseUrl;
	}

	/** Why the browser tests cannot run here, or empty when they can. */
	public static Optional<String> problem() {
		boolean missing = !new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute();
		return missing ? Optional.of("The browser tests need Chromium and its driver (" + CHROMIUM + ", " + CHROMEDRIVER
				+ "). Install them with: apt-get install -y chromium chromium-driver (as .ci/browser.sh does), or name "
				+ "others with CHROMIUM_BINARY and CHROMEDRIVER_BINARY.") : Optional.empty();
	}

	public static Browser open(int port) {
		problem().ifPresent(problem -> {
			throw new IllegalStateException(problem);
		});
		try {
			Path profile = Files.createTempDirectory("chromium-profile");
			ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
				// The flags keep a headless Chromium, run as root, from reaching for a network this machine lacks.
				.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
						"--disable-background-networking", "--disable-component-update", "--disable-sync",
						"--no-first-run", "--window-size=1000,1400", "--user-data-dir=" + profile);
			ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
				.usingAnyFreePort()
				.build();
			return new Browser(new ChromeDriver(service, options), profile, "http://127.0.0.1:" + port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public void open(String path) {
		this.driver.get(this.baseUrl + path);
	}

	public WebElement find(String css) {
		return this.driver.findElement(By.cssSelector(css));
	}

	/** Waits until the page shows what the condition looks for, and returns it. */
	public <T> T waitFor(Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, PATIENCE).until(condition);
	}

	/** The text of an element once it is non-empty and no longer says the page is still at work. */
	public String textOnceSettled(String css, String whileWorking) {
		return waitFor(driver -> {
			String text = driver.findElement(By.cssSelector(css)).getText();
			return text.isBlank() || text.contains(whileWorking) ? null : text;
		});
	}

	public int count(String css) {
		return this.driver.findElements(By.cssSelector(css)).size();
	}

	/** Saves what the browser shows, for the README and for a person reading a failed run. */
	public void screenshot(Path file) {
		try {
			Files.createDirectories(file.getParent());
			Files.write(file, this.driver.getScreenshotAs(OutputType.BYTES));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public void resize(int width, int height) {
		this.driver.manage().window().setSize(new Dimension(width, height));
	}

	public Object script(String script, Object... arguments) {
		return this.driver.executeScript(script, arguments);
	}

	@Override
	public void close() {
		this.driver.quit();
		try (var files = Files.walk(this.profile)) {
			files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			// A temporary profile left behind costs nothing; the test's result stands.
		}
	}

}
