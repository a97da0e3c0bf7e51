import { readFileSync } from 'node:fs';
import { expect, openApp, test } from './fixtures';
import { groupPhoto } from './group-photo';
import { samplePhoto } from './helpers';

test.describe('people, not single photos', () => {
  test('two photos per side give one score over all 2 × 2 face pairs', async ({ page }) => {
    await openApp(page);
    await page.getByTestId('drop-a-input').setInputFiles([samplePhoto(1), samplePhoto(4)]);
    await expect(page.getByTestId('photo-a-2-face-count')).toHaveText('4', { timeout: 120_000 });
    await page.getByTestId('photo-a-faces-face-1').click();
    await page.getByTestId('photo-a-2-faces-face-1').click();
    await page.getByTestId('drop-b-input').setInputFiles([samplePhoto(2), samplePhoto(5)]);
    await expect(page.getByTestId('photo-b-2-face-count')).toHaveText('5', { timeout: 120_000 });
    await page.getByTestId('photo-b-faces-face-1').click();
    await page.getByTestId('photo-b-2-faces-face-2').click();
    await expect(page.getByTestId('side-a-count')).toHaveText('· 2 photos');

    const card = page.getByTestId('result-face-descriptor');
    await expect(card).toContainText('based on 2 × 2 photos · mean of 4 face pairs', {
      timeout: 60_000,
    });
    await expect(card).toHaveAttribute('data-mode', 'kinship');
    // Four pairs of people average out: the bands and the sentence are those of pairs of people.
    await expect(page.getByTestId('placement-face-descriptor')).toContainText('pairs of people');

    // Removing one photo of B scores 2 × 1; swapping the sides moves the photos.
    await page.getByTestId('photo-b-2-remove').click();
    await expect(card).toContainText('based on 2 × 1 photos · mean of 2 face pairs', {
      timeout: 60_000,
    });
    await page.getByTestId('swap-sides').click();
    await expect(page.getByTestId('photo-a-info')).toContainText('sample2.jpg');
    await expect(page.getByTestId('photo-b-2-info')).toContainText('sample4.jpg');
    await expect(card).toContainText('based on 1 × 2 photos', { timeout: 60_000 });

    // Clearing a side removes the result; the drop zone is still there to start again.
    await page.getByTestId('side-b-clear').click();
    await expect(page.getByTestId('result-cards')).toHaveCount(0);
    await expect(page.getByTestId('drop-b')).toContainText('Drop photos of this person here');
  });

  test('a group photo becomes a matrix of every pair; a cell opens that pair; CSV export', async ({
    page,
  }) => {
    await openApp(page);
    await page.getByTestId('mode-family').click();
    await page.getByTestId('drop-family-input').setInputFiles(samplePhoto(5));
    const matrix = page.getByTestId('family-matrix');
    await expect(matrix).toBeVisible({ timeout: 120_000 });
    const people = await page.getByTestId('people').locator('li').count();
    expect(people).toBe(5);
    await expect(matrix).toHaveAttribute('data-people', '5');
    await expect(matrix.locator('tbody tr')).toHaveCount(5);
    await expect(matrix.locator('.heatmap-cell')).toHaveCount(5 * 4);
    await expect(page.getByTestId('pair-list').locator('li')).toHaveCount(10);

    await page.getByTestId('person-0-name').fill('Grandma');
    await expect(matrix.locator('thead')).toContainText('Grandma');

    await page.getByTestId('cell-0-3').click();
    const opened = page.getByTestId('opened-pair');
    await expect(opened).toContainText('Grandma and Person 4');
    await expect(opened.getByTestId('result-face-descriptor')).toContainText(
      'based on 1 × 1 photo',
    );
    await expect(opened.getByTestId('provenance-face-descriptor')).toContainText(
      'Built-in kinship model',
    );

    const download = page.waitForEvent('download');
    await page.getByTestId('matrix-csv').click();
    const csv = readFileSync(await (await download).path(), 'utf8')
      .trim()
      .split('\n');
    expect(csv).toHaveLength(11);
    expect(csv[0]).toBe(
      'person_a,person_b,kinship_probability,verdict,same_person,face_similarity,face_pairs,encoder',
    );
    expect(csv.filter((l) => l.startsWith('Grandma,'))).toHaveLength(4);
    const png = page.waitForEvent('download');
    await page.getByTestId('matrix-png').click();
    expect((await png).suggestedFilename()).toBe('kinship-matrix.png');
  });

  test('the same person in two photos is merged and scored with both faces', async ({ page }) => {
    await openApp(page);
    await page.getByTestId('mode-family').click();
    await page.getByTestId('drop-family-input').setInputFiles([samplePhoto(1), samplePhoto(3)]);
    const matrix = page.getByTestId('family-matrix');
    await expect(matrix).toHaveAttribute('data-people', '6', { timeout: 120_000 });
    // sample1's largest face (person 1) and sample3's largest (person 4) are one woman.
    await expect(page.getByTestId('cell-0-3')).toContainText('=');
    await page.getByTestId('person-0').getByRole('checkbox').check();
    await page.getByTestId('person-3').getByRole('checkbox').check();
    await page.getByTestId('merge-people').click();
    await expect(matrix).toHaveAttribute('data-people', '5', { timeout: 60_000 });
    await expect(page.getByTestId('person-0')).toContainText('2 faces');
    await page.getByTestId('cell-0-1').click();
    await expect(
      page.getByTestId('opened-pair').getByTestId('result-face-descriptor'),
    ).toContainText('based on 2 × 1 photos · mean of 2 face pairs');
  });

  test('15 faces: 105 pairs on screen as soon as the faces are embedded (timed)', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await openApp(page);
    await page.getByTestId('mode-family').click();
    const started = Date.now();
    await page
      .getByTestId('drop-family-input')
      .setInputFiles({ name: 'family-15.jpg', mimeType: 'image/jpeg', buffer: groupPhoto(15) });
    await expect(page.getByTestId('people').locator('li')).toHaveCount(15, { timeout: 120_000 });
    const facesAt = Date.now();
    await expect(page.getByTestId('matrix-progress')).toBeVisible();
    await expect(page.getByTestId('family-matrix')).toHaveAttribute('data-people', '15', {
      timeout: 120_000,
    });
    const matrixAt = Date.now();
    await expect(page.getByTestId('pair-list').locator('li')).toHaveCount(105);
    console.log(
      `15-face photo: faces found in ${((facesAt - started) / 1000).toFixed(1)} s, ` +
        `matrix on screen ${((matrixAt - facesAt) / 1000).toFixed(1)} s later; ` +
        (await page.getByTestId('matrix-time').textContent()),
    );
  });
});
